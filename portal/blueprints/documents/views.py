"""Downloading a PEP (PDF, Word), the child's summary of targets, the previous PEP, and a phase's blank form.

PEP documents go to whoever may see the PEP (404 for anyone else, as for the page) and each
download is recorded in the audit trail: a document leaves the portal, so who took a copy of which
PEP matters more than who looked at it. File names carry the PEP's number and term, never the
child's name, which would otherwise show in download lists and e-mail attachments.
"""

from __future__ import annotations

from flask import Response, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access, clock
from portal.authorities.vocabulary import Phase
from portal.blueprints.documents import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.extensions import db
from portal.models import Authority, Pep
from portal.services import audit, child_summary, docx_output, pdf_output, pep_document
from portal.services.authorities import config_for
from portal.services.previous_pep import shared_previous_pep


def download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _record(authority: Authority, pep: Pep, action: str, file_format: str) -> None:
    """After the document is built: committing first would expire what it was built from."""
    audit.record(action, actor=current_user, authority_id=authority.id, subject=pep, format=file_format)  # type: ignore[arg-type]
    db.session.commit()


@bp.get("/peps/<int:pep_id>/pep.pdf")
@with_visible_pep
def pep_pdf(authority: Authority, pep: Pep) -> ResponseReturnValue:
    document = pep_document.for_pep(current_user, pep, clock.today())  # type: ignore[arg-type]
    data, name = pdf_output.document_pdf(document), pep_document.filename(pep, "pdf")
    _record(authority, pep, "pep.downloaded", "pdf")
    return download(data, pdf_output.MIMETYPE, name)


@bp.get("/peps/<int:pep_id>/pep.docx")
@with_visible_pep
def pep_docx(authority: Authority, pep: Pep) -> ResponseReturnValue:
    document = pep_document.for_pep(current_user, pep, clock.today())  # type: ignore[arg-type]
    data, name = docx_output.render(document), pep_document.filename(pep, "docx")
    _record(authority, pep, "pep.downloaded", "docx")
    return download(data, docx_output.MIMETYPE, name)


@bp.get("/peps/<int:pep_id>/my-targets.pdf", endpoint="child_summary")
@with_visible_pep
def child_summary_pdf(authority: Authority, pep: Pep) -> ResponseReturnValue:
    summary = child_summary.build(current_user, pep, clock.today())  # type: ignore[arg-type]
    data, name = child_summary.render(summary), pep_document.filename(pep, "pdf", stem="my-targets")
    _record(authority, pep, "pep.child_summary_downloaded", "pdf")
    return download(data, pdf_output.MIMETYPE, name)


@bp.get("/forms/<phase>.<fmt>")
@access.signed_in
def blank_form(authority: Authority, phase: str, fmt: str) -> ResponseReturnValue:
    """A phase template's form with nowhere any child's data: for anyone signed in."""
    config = config_for(authority)
    if fmt not in ("pdf", "docx") or phase not in {p.value for p in config.phases}:
        abort(404)
    document = pep_document.blank_form(config, Phase(phase))
    name = f"{authority.slug}-{phase.replace('_', '-')}-pep-form.{fmt}"
    if fmt == "pdf":
        return download(pdf_output.document_pdf(document), pdf_output.MIMETYPE, name)
    return download(docx_output.render(document), docx_output.MIMETYPE, name)


@bp.get("/peps/<int:pep_id>/previous.pdf")
@with_visible_pep
def previous_pep_pdf(authority: Authority, pep: Pep) -> ResponseReturnValue:
    """The child's previous finalised PEP, for whoever may see this one, where the process shares
    it (services/previous_pep.py); 404 when there is none, as for any PEP they may not see."""
    previous = shared_previous_pep(pep)
    if previous is None:
        abort(404)
    document = pep_document.for_pep(current_user, previous, clock.today())  # type: ignore[arg-type]
    data = pdf_output.document_pdf(document)
    audit.record(
        "pep.downloaded",
        actor=current_user,  # type: ignore[arg-type]
        authority_id=authority.id,
        subject=previous,
        format="pdf",
        through_pep=pep.id,
    )
    db.session.commit()
    return download(data, pdf_output.MIMETYPE, pep_document.filename(previous, "pdf"))
