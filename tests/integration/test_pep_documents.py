"""PEP documents read back as a person (or their screen reader) would: the PDF's and the Word
document's text holds every answer of a fully filled PEP, its headings are real headings, the PDF
is tagged; a blank form has every question and no child; the child's summary has their targets
and nothing else about them; and only people who may see the PEP get it, each download audited."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdf
import pypdfium2 as pdfium
import pytest
from docx.oxml.ns import qn
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.authorities.forms import FieldType
from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent
from portal.services.child_summary import target_fields
from tests.factories import make_setting, make_user, sign_in
from tests.filled_peps import (
    CHILD_FIRST,
    CHILD_LAST,
    DECLINE_REASON,
    QA_FEEDBACK,
    SCHOOL,
    FilledPep,
    expected_text,
    fill_pep,
)
from tests.queries import count_queries

SHIPPED = ["lancashire", "bradford", "cheshire-west-and-chester", "example-borough"]
RENDERS = Path(__file__).resolve().parents[2] / "var" / "test-renders"


def signed_in(app: Flask, user) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def squeeze(text: str) -> str:
    """Text without any whitespace: line wrapping and extraction spacing then cannot matter."""
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdf_body(pages: list[str], authority: str) -> str:
    """All pages' text without the running header and footer, which a page break may put in the
    middle of an answer."""
    text = "\n".join(pages)
    for furniture in (r"Page \d+ of \d+", "OFFICIAL-SENSITIVE", re.escape(authority)):
        text = re.sub(furniture, "", text)
    return squeeze(text)


def docx_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return document, squeeze("\n".join(parts))


def expected_values(filled: FilledPep) -> list[tuple[str, str]]:
    """(where, text) for every answer saved in the PEP, rows cell by cell."""
    found = []
    for key, answers in filled.answers.items():
        section = filled.config.sections[key]
        for field in section.fields:
            value = answers[field.key]
            if field.type is FieldType.ROWS:
                for index, row in enumerate(value):
                    for column in field.columns:
                        where = f"{key}.{field.key}.{index}.{column.key}"
                        found.append((where, expected_text(column, row[column.key])))
            else:
                found.append((f"{key}.{field.key}", expected_text(field, value)))
    return found


def pep_url(filled: FilledPep, name: str) -> str:
    return f"/a/{filled.pep.authority.slug}/peps/{filled.pep.id}/{name}"


def page_url(filled: FilledPep) -> str:
    return f"/a/{filled.pep.authority.slug}/peps/{filled.pep.id}"


def assert_download(response, content_type: str, filled: FilledPep, extension: str) -> None:
    assert response.status_code == 200
    assert response.mimetype == content_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(rf'filename="[a-z-]+-{filled.pep.id}-autumn-2026-27\.{extension}"', disposition)
    assert CHILD_FIRST.lower() not in disposition.lower() and CHILD_LAST.lower() not in disposition.lower()
    assert response.headers["Cache-Control"] == "no-store"


# --- The whole PEP, as PDF and as Word ----------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_pdf_holds_every_answer_heading_and_sign_off(app: Flask, authorities: dict, slug: str) -> None:
    filled = fill_pep(authorities[slug])
    client = signed_in(app, filled.people[Role.SOCIAL_WORKER])
    response = client.get(pep_url(filled, "pep.pdf"))
    assert_download(response, "application/pdf", filled, "pdf")

    reader = pypdf.PdfReader(io.BytesIO(response.data))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert 'pdfuaid:part="1"' in catalog["/Metadata"].get_object().get_data().decode()
    tags = structure_tags(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption"} <= tags
    assert "Personal Education Plan" in reader.metadata.title
    assert CHILD_LAST not in reader.metadata.title

    pages = pdf_pages(response.data)
    raw, body = "\n".join(pages), pdf_body(pages, filled.config.authority.name)
    assert filled.config.authority.name in raw
    assert "OFFICIAL-SENSITIVE" in raw and f"Page 1 of {len(pages)}" in pages[0]
    for expected in (
        f"{CHILD_FIRST} {CHILD_LAST}",
        "19 July 2011",
        "Autumn 2026-27",
        "Termly review",
        SCHOOL,
    ):
        assert squeeze(expected) in body, expected
    assert squeeze(filled.config.phases["secondary"].label) in body
    for key in filled.answers:
        assert squeeze(filled.config.sections[key].title) in body, key
        for field in filled.config.sections[key].fields:
            assert squeeze(field.label) in body, f"{key}.{field.key} label"
    missing = [where for where, text in expected_values(filled) if squeeze(text) not in body]
    assert missing == []

    # Sign-offs: who took which step, with the steps named as the authority names them.
    assert squeeze("Sign-offs and history") in body
    final = filled.path[-1]
    for text in (final.label, filled.config.step_label(final.to), filled.comments[-1], "Vera Virtualschool"):
        assert squeeze(text) in body, text
    # The latest QA grade, with its date and reviewer.
    assert squeeze(filled.config.qa.scale[0].label) in body and squeeze("2 November 2026") in body
    assert squeeze(QA_FEEDBACK) in body
    # PP+ requests with the Virtual School's decisions.
    assert squeeze("Pupil Premium Plus requests and decisions") in body
    if _has_requests(filled):
        assert squeeze("Approved") in body and squeeze(DECLINE_REASON) in body
    else:
        assert squeeze("No Pupil Premium Plus has been requested on this PEP.") in body


def structure_tags(node, found: set[str] | None = None) -> set[str]:
    """Every tag (H1, Table, TH...) in a PDF's structure tree: what a screen reader navigates by."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        for child in node:
            structure_tags(child, found)
    elif isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node:
            structure_tags(node["/K"], found)
    return found


def _has_requests(filled: FilledPep) -> bool:
    from portal.services import pp_plus

    return bool(pp_plus.requests_for(filled.pep))


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_word_document_has_heading_styles_and_every_answer(
    app: Flask, authorities: dict, slug: str
) -> None:
    filled = fill_pep(authorities[slug])
    client = signed_in(app, filled.people[Role.SOCIAL_WORKER])
    response = client.get(pep_url(filled, "pep.docx"))
    assert_download(
        response,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        filled,
        "docx",
    )
    document, text = docx_text(response.data)
    headings = {(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert ("Heading 1", f"Personal Education Plan: {CHILD_FIRST} {CHILD_LAST}") in headings
    for key in filled.answers:
        assert ("Heading 2", filled.config.sections[key].title) in headings
        for field in filled.config.sections[key].fields:
            assert ("Heading 3", field.label) in headings
    assert ("Heading 2", "Sign-offs and history") in headings
    assert document.core_properties.title.startswith("Personal Education Plan")
    assert CHILD_LAST not in document.core_properties.title
    # Every table has header cells: a header row Word repeats on each page, or a first column of
    # labels; and British English is the document's language.
    assert document.tables and all(_has_header_row(t) or _is_row_headed(t) for t in document.tables)
    assert any(_has_header_row(t) for t in document.tables)
    language = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert language.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    missing = [where for where, value in expected_values(filled) if squeeze(value) not in text]
    assert missing == []
    for value in (filled.config.authority.name, "19 July 2011", filled.comments[-1], QA_FEEDBACK):
        assert squeeze(value) in text, value


def _has_header_row(table) -> bool:
    properties = table.rows[0]._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def _is_row_headed(table) -> bool:
    """A two-column label/value table: its first column holds the (bold) labels."""
    return len(table.columns) == 2 and all(r.cells[0].paragraphs[0].runs[0].bold for r in table.rows)


# --- Blank forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_blank_forms_ask_every_question_and_hold_no_child(app: Flask, authorities: dict, slug: str) -> None:
    filled = fill_pep(authorities[slug], finish=False)
    teacher = filled.people[Role.DESIGNATED_TEACHER]
    client = signed_in(app, teacher)
    config = filled.config
    for phase, template in config.phases.items():
        pdf = client.get(f"/a/{slug}/forms/{phase.value}.pdf")
        word = client.get(f"/a/{slug}/forms/{phase.value}.docx")
        assert pdf.status_code == word.status_code == 200
        assert "attachment" in pdf.headers["Content-Disposition"]
        body = pdf_body(pdf_pages(pdf.data), config.authority.name)
        if phase.value == "secondary":  # for a person to look at
            RENDERS.mkdir(parents=True, exist_ok=True)
            rendered = pdfium.PdfDocument(pdf.data)
            for number in range(min(4, len(rendered))):
                image = rendered[number].render(scale=1).to_pil()
                image.save(RENDERS / f"blank-form-{slug}-{number + 1}.png")
        _, word_text = docx_text(word.data)
        for text in (body, word_text):
            assert squeeze(template.label) in text
            for key in template.sections:
                section = config.sections[key]
                assert squeeze(section.title) in text, key
                for field in section.fields:
                    assert squeeze(field.label) in text, field.key
                    for column in field.columns:
                        assert squeeze(column.label) in text, column.key
            for child_data in (CHILD_FIRST, CHILD_LAST, "19 July 2011", SCHOOL, "V0001"):
                assert squeeze(child_data) not in text
    assert client.get(f"/a/{slug}/forms/nursery.pdf").status_code == 404
    assert client.get(f"/a/{slug}/forms/secondary.txt").status_code == 404


# --- The child's summary ---------------------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_childs_summary_has_their_targets_and_nothing_else_about_them(
    app: Flask, authorities: dict, slug: str
) -> None:
    filled = fill_pep(authorities[slug])
    client = signed_in(app, filled.people[Role.SOCIAL_WORKER])
    response = client.get(pep_url(filled, "my-targets.pdf"))
    assert_download(response, "application/pdf", filled, "pdf")
    assert "my-targets" in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    assert 1 <= len(pages) <= 2
    RENDERS.mkdir(parents=True, exist_ok=True)
    rendered = pdfium.PdfDocument(response.data)
    for number in range(len(rendered)):  # for a person to look at
        rendered[number].render(scale=1).to_pil().save(RENDERS / f"my-targets-{slug}-{number + 1}.png")
    body = pdf_body(pages, filled.config.authority.name)
    assert squeeze("Your PEP for Autumn 2026") in body and CHILD_FIRST in body
    targets, reviews = target_fields(filled.config, "secondary")
    assert targets and reviews
    for found in targets:
        for row in filled.answers[found.section][found.field.key]:
            for column in found.text_columns:
                assert squeeze(row[column]) in body
            dates = [c for c in found.field.columns if c.type is FieldType.DATE]
            for column in dates:
                assert squeeze(expected_text(column, row[column.key])) in body
    for found in reviews:
        outcome = next(c for c in found.field.columns if c.type is FieldType.CHOICE)
        for row in filled.answers[found.section][found.field.key]:
            assert squeeze(expected_text(outcome, row[outcome.key])) in body
    for contact in ("Dora Designated", SCHOOL, "Sam Socialworker"):
        assert squeeze(contact) in body
    # No other personal detail: no surname, date of birth, attendance or health answers.
    assert CHILD_LAST not in body and squeeze("19 July 2011") not in body
    private = [
        expected_text(f, filled.answers[key][f.key])
        for key in filled.answers
        if "attendance" in key or "health" in key
        for f in filled.config.sections[key].fields
        if f.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.PERCENTAGE)
    ]
    assert private and not [text for text in private if squeeze(text) in body]


# --- Who may download, and the audit trail ---------------------------------------------------


def test_only_people_who_see_the_pep_download_it_and_each_download_is_audited(
    app: Flask, authorities: dict
) -> None:
    filled = fill_pep(authorities["lancashire"], finish=False)
    elsewhere = make_setting("Another School")
    stranger = make_user(
        "Other Teacher", email="other.dt@docs.example", roles=[(Role.DESIGNATED_TEACHER, elsewhere)]
    )
    outsider = signed_in(app, stranger)
    for name in ("pep.pdf", "pep.docx", "my-targets.pdf"):
        response = outsider.get(pep_url(filled, name))
        assert response.status_code == 404
        assert CHILD_FIRST not in response.text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action.like("%downloaded"))) is None

    teacher = signed_in(app, filled.people[Role.DESIGNATED_TEACHER])
    for name in ("pep.pdf", "pep.docx", "my-targets.pdf"):
        assert teacher.get(pep_url(filled, name)).status_code == 200
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("%downloaded")).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.details["format"]) for e in events] == [
        ("pep.downloaded", "pdf"),
        ("pep.downloaded", "docx"),
        ("pep.child_summary_downloaded", "pdf"),
    ]
    assert {(e.actor_id, e.subject_type, e.subject_id, e.authority_id) for e in events} == {
        (filled.people[Role.DESIGNATED_TEACHER].id, "Pep", filled.pep.id, filled.pep.authority_id)
    }
    # The audit trail page says what happened in words.
    admin = signed_in(app, filled.people[Role.AUTHORITY_ADMIN])
    trail = admin.get("/a/lancashire/admin/audit").text
    assert (
        "Downloaded a PEP (PDF or Word)" in trail
        and "Downloaded a child&#39;s summary of their targets" in trail
    )


def test_anyone_signed_in_gets_a_blank_form_and_nobody_else(app: Flask, authorities: dict) -> None:
    anonymous = app.test_client()
    response = anonymous.get("/a/lancashire/forms/secondary.pdf")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


# --- Cost and layout -------------------------------------------------------------------------


def test_a_document_costs_the_same_queries_however_many_rows(app: Flask, authorities: dict) -> None:
    """The downloads' queries do not grow with the PEP's rows (nor its sections: one query reads
    them all)."""
    counts = []
    for rows, tag in ((1, "a"), (8, "b")):
        filled = fill_pep(authorities["lancashire"], rows=rows, tag=tag)
        client = signed_in(app, filled.people[Role.SOCIAL_WORKER])
        names = ("pep.pdf", "pep.docx", "my-targets.pdf")
        client.get(pep_url(filled, names[0]))  # the process version's configuration is cached after this
        with app.app_context(), count_queries(db.engine) as statements:
            for name in names:
                assert client.get(pep_url(filled, name)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 3 * 25  # about 17 a download: user, PEP, sections, history, PP+, grades, audit


def test_a_long_pep_prints_on_many_pages_all_inside_the_paper(app: Flask, authorities: dict) -> None:
    """A long PEP, rendered to PNG in var/test-renders for a person to look at: every page has
    ink, and no character lies outside the page."""
    filled = fill_pep(authorities["lancashire"], rows=3, long=True)
    client = signed_in(app, filled.people[Role.SOCIAL_WORKER])
    data = client.get(pep_url(filled, "pep.pdf")).data
    document = pdfium.PdfDocument(data)
    assert len(document) >= 20
    RENDERS.mkdir(parents=True, exist_ok=True)
    for old in RENDERS.glob("long-pep-*.png"):
        old.unlink()
    for number in range(len(document)):
        page = document[number]
        width, height = page.get_size()
        image = page.render(scale=1).to_pil().convert("L")
        image.save(RENDERS / f"long-pep-{number + 1:02d}.png")
        darkest, _ = image.getextrema()
        assert darkest < 100, f"page {number + 1} is blank"
        text = page.get_textpage()
        # Text segments (runs of characters on a line): none may reach outside the paper.
        for index in range(text.count_rects()):
            left, bottom, right, top = text.get_rect(index)
            assert left >= -0.5 and right <= width + 0.5 and bottom >= -0.5 and top <= height + 0.5, (
                f"page {number + 1}: text at x {left:.0f}-{right:.0f} runs off the page"
            )
        # ...and none into the side margins (18 mm = 51 pt), where a printer may cut it off.
        assert text.count_rects() > 0
        assert all(text.get_rect(i)[2] <= width - 45 for i in range(text.count_rects())), f"page {number + 1}"


# --- Where people find the downloads -----------------------------------------------------------


def test_the_pep_page_links_each_download_by_its_format(app: Flask, authorities: dict) -> None:
    filled = fill_pep(authorities["lancashire"], finish=False)
    filled.pep.state = "with_setting_after_meeting"
    db.session.commit()
    pdf, word, summary = (pep_url(filled, n) for n in ("pep.pdf", "pep.docx", "my-targets.pdf"))
    worker = signed_in(app, filled.people[Role.SOCIAL_WORKER]).get(page_url(filled)).text
    assert f'href="{pdf}">Download this PEP as a PDF</a>' in worker
    assert f'href="{word}">Download this PEP as a Word document</a>' in worker
    assert f'href="{summary}">Summary of targets for {CHILD_FIRST} (PDF)</a>' in worker
    # The setting gets the child's summary once the PEP is final; until then only the PEP.
    teacher = signed_in(app, filled.people[Role.DESIGNATED_TEACHER])
    page = teacher.get(page_url(filled)).text
    assert f'href="{pdf}"' in page and f'href="{summary}"' not in page
    filled.pep.state = next(step.key for step in filled.config.workflow.steps if step.final)
    db.session.commit()
    assert f'href="{summary}"' in teacher.get(page_url(filled)).text
    # A blank copy of the PEP's own form, to fill in by hand before the meeting.
    blank = f"/a/lancashire/forms/{filled.pep.phase}.pdf"
    assert f'href="{blank}">blank Secondary PEP form as a PDF</a>' in page
    assert teacher.get(blank).mimetype == "application/pdf"


def test_the_administrator_finds_a_blank_form_for_each_published_phase(app: Flask, authorities: dict) -> None:
    admin = make_user(
        "Ada Admin", email="ada@docs.example", roles=[(Role.AUTHORITY_ADMIN, authorities["bradford"])]
    )
    client = signed_in(app, admin)
    page = client.get("/a/bradford/admin/process/draft/sections").text
    links = re.findall(
        r'href="(/a/bradford/forms/[a-z_0-9]+\.(?:pdf|docx))">blank ([^<]+) form \(([^)]+)\)', page
    )
    from portal.services.authorities import config_for

    phases = config_for(authorities["bradford"]).phases
    assert sorted(url for url, _, _ in links) == sorted(
        f"/a/bradford/forms/{phase.value}.{fmt}" for phase in phases for fmt in ("pdf", "docx")
    )
    assert {kind for _, _, kind in links} == {"PDF", "Word document"}
    for url, _, _ in links:
        assert client.get(url).status_code == 200
