"""Printing documents as Word (.docx), for authorities that still exchange PEPs as Word forms.

The same content model as the PDF (:mod:`portal.services.pep_document`), so the two never
disagree. Accessibility in Word terms: the built-in Heading 1/2/3 styles (Word's navigation pane
and screen readers use them), tables whose first row is a repeating header row with a title
(alt text), the document language set to en-GB, and a title in the core properties.
"""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from portal.services.pep_document import NOT_ANSWERED, Document, Question, Table

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Arial"
GREY = RGBColor(0x38, 0x3F, 0x43)


def _set_language_and_font(doc: object) -> None:
    """Arial and British English for every style that does not say otherwise."""
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    defaults = styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), "en-GB")
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:ascii"), FONT)


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(end)


def _page_furniture(doc: object, document: Document) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin = section.bottom_margin = Mm(20)
    header = section.header.paragraphs[0]
    header.text = f"{document.authority} · {document.marking}"
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{document.marking} · Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _title_table(table: WordTable, title: str) -> None:
    """The table's title, which Word offers to screen readers as its alt text."""
    properties = table._tbl.tblPr
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), title[:250])
    properties.append(caption)


def _repeat_header(table: WordTable) -> None:
    """Mark the first row as the header row, repeated at the top of each page."""
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_properties.append(header)
    for cell in table.rows[0].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def _write(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    """Text with its line breaks kept (answers are often several paragraphs)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if text == NOT_ANSWERED:
            run.italic = True
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _cell_text(cell: object, text: str, *, bold: bool = False) -> None:
    _write(cell.paragraphs[0], text, bold=bold)  # type: ignore[attr-defined]


def _caption(doc: object, text: str) -> None:
    doc.add_paragraph(text, style="Caption")  # type: ignore[attr-defined]


def _column_table(doc: object, caption: str, headers: list[str], rows: list[list[str]]) -> None:
    """A table read across: a header row of column names, then one row per entry."""
    _caption(doc, caption)
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    _title_table(table, caption)
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, bold=True)
    _repeat_header(table)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            _cell_text(cell, value)


def _row_table(doc: object, caption: str, pairs: list[tuple[str, str]], *, tall: bool = False) -> None:
    """A table read down: each row a label (the header cell) and its value."""
    _caption(doc, caption)
    table = doc.add_table(rows=len(pairs), cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    _title_table(table, caption)
    for row, (label, value) in zip(table.rows, pairs, strict=True):
        _cell_text(row.cells[0], label, bold=True)
        _cell_text(row.cells[1], value)
        row.cells[0].width, row.cells[1].width = Mm(55), Mm(119)
        if tall:
            row.height = Mm(12)


def _rows(doc: object, table: Table, blank: bool) -> None:
    if table.wide:
        for index, row in enumerate(table.rows, start=1):
            _row_table(
                doc, f"{table.row_noun} {index}", list(zip(table.headers, row, strict=True)), tall=blank
            )
    elif table.rows:
        _column_table(doc, table.caption, table.headers, table.rows)
        if blank:
            word_table = doc.tables[-1]  # type: ignore[attr-defined]
            for row in word_table.rows[1:]:
                row.height = Mm(12)


def _writing_box(doc: object, question: Question) -> None:
    """An empty bordered box to write the answer in."""
    table = doc.add_table(rows=1, cols=1)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    _title_table(table, f"Space for: {question.label}")
    table.rows[0].height = Mm(35 if question.long else 11)


def _question(doc: object, question: Question, blank: bool) -> None:
    doc.add_heading(question.label, level=3)  # type: ignore[attr-defined]
    if blank and question.hint:
        hint = doc.add_paragraph()  # type: ignore[attr-defined]
        run = hint.add_run(question.hint)
        run.font.color.rgb = GREY
        run.font.size = Pt(10)
    if question.table is not None:
        if not blank and not question.table.rows:
            doc.add_paragraph(question.value or "")  # type: ignore[attr-defined]
        _rows(doc, question.table, blank)
    elif blank:
        _writing_box(doc, question)
    else:
        _write(doc.add_paragraph(), question.value or "")  # type: ignore[attr-defined]


def render(document: Document) -> bytes:
    """The document as a .docx file."""
    doc = docx.Document()
    _set_language_and_font(doc)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.authority
    doc.core_properties.subject = "Personal Education Plan"
    doc.core_properties.keywords = document.marking
    doc.core_properties.language = "en-GB"
    _page_furniture(doc, document)

    intro = doc.add_paragraph()
    intro.add_run(document.authority).font.color.rgb = GREY
    doc.add_heading(document.heading, level=1)
    marking = doc.add_paragraph()
    marking.add_run(document.marking).bold = True
    marking.add_run(
        ": personal information about a child in care. Keep it securely and share it only with "
        "people who need it."
    )
    _row_table(doc, "About the child and this PEP", document.facts, tall=document.blank)

    for section in document.sections:
        doc.add_heading(section.title, level=2)
        status = doc.add_paragraph()
        run = status.add_run(
            f"Completed by: {section.completed_by}" + (f" · {section.status}" if section.status else "")
        )
        run.font.color.rgb = GREY
        for question in section.questions:
            _question(doc, question, document.blank)

    if document.pp_plus is not None:
        pp = document.pp_plus
        doc.add_heading("Pupil Premium Plus requests and decisions", level=2)
        _row_table(
            doc,
            "Pupil Premium Plus totals",
            [
                ("Requested", pp.requested),
                ("Approved", pp.approved),
                ("Allowed per term", pp.per_term),
                ("Payment", pp.payment),
            ],
        )
        if pp.lines:
            _column_table(
                doc,
                "Requests and the Virtual School's decisions",
                ["Request", "Requested", "Decision", "Approved", "Reason"],
                [
                    [
                        f"{line.description}\n{line.section}",
                        line.requested,
                        line.decision + (f"\n{line.decided}" if line.decided else ""),
                        line.approved,
                        line.note,
                    ]
                    for line in pp.lines
                ],
            )
        else:
            doc.add_paragraph("No Pupil Premium Plus has been requested on this PEP.")

    if not document.blank:
        doc.add_heading("Sign-offs and history", level=2)
        if document.history:
            _column_table(
                doc,
                "Each step of the PEP: who took it and when",
                ["When", "What happened", "Step reached", "By", "Comment"],
                [[h.when, h.what, h.step, h.who, h.comment] for h in document.history],
            )
        else:
            doc.add_paragraph("No step has been recorded yet.")
        doc.add_heading("Quality assurance", level=2)
        if document.qa:
            _row_table(
                doc,
                "The Virtual School's latest quality assurance grade",
                [
                    ("Grade", document.qa.grade),
                    ("Date", document.qa.date),
                    ("Graded by", document.qa.reviewer),
                    ("Feedback", document.qa.feedback or "None written"),
                ],
            )
        else:
            doc.add_paragraph(f"{document.virtual_school} has not graded this PEP.")

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
