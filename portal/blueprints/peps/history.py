"""A PEP's history: every saved version of each section and the steps it took, and two versions
of a section compared. Whoever may see the PEP may see its history, section by section as they
may read them on the PEP page."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.blueprints.peps import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.extensions import db
from portal.models import Authority, Pep
from portal.services import audit, paging, pep_facts, section_history


def _record_view(authority: Authority, pep: Pep, page: str, **details: object) -> None:
    """Recorded after rendering: committing first would expire everything the page had loaded."""
    audit.record(
        "pep.viewed",
        actor=current_user,  # type: ignore[arg-type]
        authority_id=authority.id,
        subject=pep,
        page=page,
        **details,
    )
    db.session.commit()


@bp.get("/<int:pep_id>/history")
@with_visible_pep
def history(authority: Authority, pep: Pep) -> ResponseReturnValue:
    readable = section_history.readable_sections(current_user, pep)  # type: ignore[arg-type]
    chosen = request.args.get("section", "")
    if chosen not in readable:
        chosen = ""
    record = section_history.history(
        pep,
        sections=[chosen] if chosen else readable,
        page=paging.clamp_page(request.args.get("page")),
        include_steps=not chosen,
    )
    config = pep_facts.config_of(pep)
    html = render_template(
        "peps/history.html",
        pep=pep,
        history=record,
        chosen=chosen,
        section_choices=[(key, config.sections[key].title) for key in readable],
    )
    _record_view(authority, pep, "history", **({"section": chosen} if chosen else {}))
    return html


def _version(value: str | None) -> int | None:
    """A version number from the query string; None when missing, -1 when it is not a number."""
    if value is None or value == "":
        return None
    return int(value) if value.isdigit() and len(value) < 10 else -1


@bp.get("/<int:pep_id>/history/<section>/compare")
@with_visible_pep
def compare(authority: Authority, pep: Pep, section: str) -> ResponseReturnValue:
    if section not in section_history.readable_sections(current_user, pep):  # type: ignore[arg-type]
        abort(404)
    config = pep_facts.config_of(pep)
    versions = section_history.section_versions(pep, section)
    numbers = [v.number for v in versions]  # newest first
    to_version = _version(request.args.get("to"))
    from_version = _version(request.args.get("from"))
    if to_version is None and numbers:
        to_version = numbers[0]
    if from_version is None and numbers:
        from_version = next((n for n in numbers if to_version is not None and n < to_version), to_version)
    errors: dict[str, str] = {}
    status = 200
    if numbers:
        if from_version not in numbers:
            errors["from"] = "Select a version to compare from that this section has"
        if to_version not in numbers:
            errors["to"] = "Select a version to compare to that this section has"
        if errors:
            status = 404
        elif from_version > to_version:  # type: ignore[operator]
            errors["from"] = (
                "The version to compare from must be the same as or earlier than the version to compare to"
            )
            status = 400
    comparison = None
    if numbers and not errors:
        comparison = section_history.compare(
            pep,
            section,
            from_version,
            to_version,
            versions=versions,  # type: ignore[arg-type]
        )
    html = render_template(
        "peps/compare.html",
        pep=pep,
        section_key=section,
        section_title=config.sections[section].title,
        versions=versions,
        from_version=from_version,
        to_version=to_version,
        comparison=comparison,
        errors=errors,
        history_url=url_for("peps.history", authority=authority, pep_id=pep.id, section=section),
    )
    _record_view(
        authority,
        pep,
        "history_compare",
        section=section,
        **({"from_version": from_version, "to_version": to_version} if comparison else {}),
    )
    return html, status
