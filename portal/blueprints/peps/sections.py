"""The PEP page, editing a section (htmx partial or plain form), and taking the next step."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import clock, navigation
from portal.authorities.forms import FieldConfig, FieldType, SectionConfig
from portal.authorities.vocabulary import Role
from portal.blueprints.casework_forms import MeetingForm
from portal.blueprints.peps import bp
from portal.blueprints.peps.loading import with_visible_pep
from portal.extensions import db, htmx
from portal.models import Authority, Pep
from portal.section_forms import ParsedSection, form_values, parse, row_count
from portal.services import audit, carry_over, casework, delegation, pep_page, sections, workflow
from portal.services.previous_pep import shared_previous_pep


def _page(pep: Pep) -> pep_page.PepPage:
    return pep_page.load(current_user, pep, clock.today())  # type: ignore[arg-type]


def _view(page: pep_page.PepPage, key: str) -> pep_page.SectionView:
    view = next((s for s in page.sections if s.key == key), None)
    if view is None:
        abort(404)
    return view


def _require_case_worker(pep: Pep) -> None:
    """Arranging the meeting and chasing the setting are for the child's social worker and business
    support; anyone else who may see the PEP gets 403."""
    roles = pep_page.pep_facts.roles_for_pep(current_user, pep)  # type: ignore[arg-type]
    if not roles & {Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT}:
        abort(403)


def _editable_view(pep: Pep, key: str) -> pep_page.SectionView:
    """The section, if the signed-in user may change it now; 403 if they may only read it."""
    view = _view(_page(pep), key)
    if not view.editable:
        abort(403)
    return view


def field_types(section: SectionConfig) -> dict[str, FieldType]:
    """Field path -> type, so error summary links point at the right input (a date's day box)."""
    types: dict[str, FieldType] = {}
    for config in section.fields:
        types[config.key] = config.type
        for column in config.columns:
            for index in range(30):
                types[f"{config.key}.{index}.{column.key}"] = column.type
    return types


def _page_url(authority: Authority, pep: Pep, section: str) -> str:
    return url_for("peps.show", authority=authority, pep_id=pep.id, _anchor=f"section-{section}")


@bp.get("/<int:pep_id>")
@with_visible_pep
def show(authority: Authority, pep: Pep) -> ResponseReturnValue:
    return render_page(authority, pep)


def render_page(authority: Authority, pep: Pep, meeting_form: MeetingForm | None = None) -> str:
    """The PEP page, recording that it was viewed (after rendering: see below)."""
    page = _page(pep)
    destinations = navigation.destinations(current_user)  # type: ignore[arg-type]
    html = render_template(
        "peps/show.html",
        pep=pep,
        page=page,
        today=clock.today(),
        back_url=destinations[0].href if destinations else url_for("auth.home"),
        colleagues=delegation.colleagues(pep) if page.is_designated_teacher else [],
        meeting_form=meeting_form or MeetingForm(meeting_date=pep.meeting_date),
        may_arrange_meeting=bool(page.roles & {Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT}) and not page.final,
        form=meeting_form if meeting_form is not None and meeting_form.errors else None,
        previous_pep=shared_previous_pep(pep),
    )
    # Recorded after rendering: committing first would expire everything the page had loaded.
    audit.record("pep.viewed", actor=current_user, authority_id=authority.id, subject=pep)  # type: ignore[arg-type]
    db.session.commit()
    return html


def _record_view(authority: Authority, pep: Pep, page: str, section: str) -> None:
    """A section shown on its own (htmx) or as its form shows the PEP's answers: a view too.
    Called after rendering, for the reason given in :func:`render_page`."""
    audit.record(
        "pep.viewed",
        actor=current_user,  # type: ignore[arg-type]
        authority_id=authority.id,
        subject=pep,
        page=page,
        section=section,
    )
    db.session.commit()


@bp.get("/<int:pep_id>/sections/<section>")
@with_visible_pep
def section(authority: Authority, pep: Pep, section: str) -> ResponseReturnValue:
    if not htmx:
        return redirect(
            url_for("peps.show", authority=authority, pep_id=pep.id, _anchor=f"section-{section}")
        )
    page = _page(pep)
    html = render_template("peps/_section.html", pep=pep, page=page, view=_view(page, section))
    _record_view(authority, pep, "section", section)
    return html


def render_form(
    pep: Pep,
    view: pep_page.SectionView,
    values: dict[str, Any],
    base_version: int,
    *,
    errors: dict[str, str] | None = None,
    conflict: Any = None,
    carried_from: Pep | None = None,
) -> ResponseReturnValue:
    context = {
        "pep": pep,
        "view": view,
        "values": values,
        "errors": errors or {},
        "base_version": base_version,
        "conflict": conflict,
        "field_types": field_types(view.config),
        "carried_from": carried_from,
    }
    template = "peps/_section_form.html" if htmx else "peps/edit_section.html"
    return render_template(template, **context)


@bp.get("/<int:pep_id>/sections/<section>/edit")
@with_visible_pep
def edit_section(authority: Authority, pep: Pep, section: str) -> ResponseReturnValue:
    view = _editable_view(pep, section)
    if view.entry is not None:
        form = render_form(pep, view, form_values(view.config, view.entry.answers), view.entry.version)
    else:
        answers, source = carry_over.carried_over(pep, view.config)
        form = render_form(pep, view, form_values(view.config, answers), 0, carried_from=source)
    _record_view(authority, pep, "section_edit", section)
    return form


def change_rows(config: SectionConfig, parsed: ParsedSection, action: str) -> None:
    """Apply an "add-row:field" or "remove-row:field:index" button to the values shown again."""
    parts = action.split(":")
    rows_field: FieldConfig | None = config.field(parts[1]) if len(parts) > 1 else None
    if rows_field is None or rows_field.type is not FieldType.ROWS:
        return
    count = row_count(config, request.form, rows_field.key)
    if parts[0] == "add-row":
        parsed.values[rows_field.key] = count + 1
        return
    try:
        removed = int(parts[2])
    except (IndexError, ValueError):
        return
    for index in range(removed, count - 1):
        for column in rows_field.columns:
            following = parsed.values.get(f"{rows_field.key}.{index + 1}.{column.key}", "")
            parsed.values[f"{rows_field.key}.{index}.{column.key}"] = following
    parsed.values[rows_field.key] = max(0, count - 1)


@bp.post("/<int:pep_id>/sections/<section>")
@with_visible_pep
def save_section(authority: Authority, pep: Pep, section: str) -> ResponseReturnValue:
    view = _editable_view(pep, section)
    parsed = parse(view.config, request.form)
    action = request.form.get("action", "save")
    try:
        base_version = int(request.form.get("base_version", "0"))
    except ValueError:
        base_version = 0
    for key in view.config.fields:
        if key.type is FieldType.ROWS:
            parsed.values.setdefault(key.key, row_count(view.config, request.form, key.key))
    if action.startswith(("add-row:", "remove-row:")):
        change_rows(view.config, parsed, action)
        return render_form(pep, view, parsed.values, base_version)
    if parsed.errors:
        return render_form(pep, view, parsed.values, base_version, errors=parsed.errors)
    try:
        sections.save_section(
            current_user,
            pep,
            section,
            parsed.answers,  # type: ignore[arg-type]
            base_version=base_version,
            completed=action == "complete",
        )
    except sections.SectionRefusedError as refused:
        return render_form(pep, view, parsed.values, base_version, errors=refused.problems)
    except sections.SectionConflictError as conflict:
        return render_form(pep, view, parsed.values, conflict.newer.version, conflict=conflict.newer)
    message = f"‘{view.config.title}’ saved" + (
        " and marked as complete" if action == "complete" else " as a draft"
    )
    if htmx:
        page = _page(pep)
        response = render_template(
            "peps/_saved.html", pep=pep, page=page, view=_view(page, section), oob=True
        )
        return response, 200, {"HX-Trigger": "pep-saved"}
    flash(message, "success")
    return redirect(_page_url(authority, pep, section))


@bp.post("/<int:pep_id>/transitions/<transition>")
@with_visible_pep
def take_transition(authority: Authority, pep: Pep, transition: str) -> ResponseReturnValue:
    comment = request.form.get("comment", "")[:2000]
    try:
        workflow.perform(current_user, pep, transition, comment=comment)  # type: ignore[arg-type]
    except workflow.TransitionRefusedError as refused:
        if htmx:
            return render_template(
                "peps/_actions.html", pep=pep, page=_page(pep), action_errors=refused.reasons
            )
        for reason in refused.reasons:
            flash(reason, "error")
        return redirect(url_for("peps.show", authority=authority, pep_id=pep.id))
    config = pep_page.pep_facts.config_of(pep)
    label = config.workflow.transition(transition).label  # type: ignore[union-attr]
    message = f"Done: {label}. The PEP is now ‘{config.step_label(pep.state)}’."
    if htmx:
        return render_template("peps/_after_transition.html", pep=pep, page=_page(pep), done_message=message)
    flash(message, "success")
    return redirect(url_for("peps.show", authority=authority, pep_id=pep.id))


@bp.post("/<int:pep_id>/meeting")
@with_visible_pep
def arrange_meeting(authority: Authority, pep: Pep) -> ResponseReturnValue:
    """The social worker (or business support) records or changes the PEP meeting's date."""
    _require_case_worker(pep)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            casework.arrange_meeting(current_user, pep, form.meeting_date.data)  # type: ignore[arg-type]
        except casework.CaseworkRefusedError as refused:
            form.meeting_date.errors = [str(refused)]
        else:
            flash(f"PEP meeting set for {form.meeting_date.data:%-d %B %Y}", "success")
            return redirect(url_for("peps.show", authority=authority, pep_id=pep.id))
    return render_page(authority, pep, meeting_form=form)


@bp.post("/<int:pep_id>/chase")
@with_visible_pep
def chase(authority: Authority, pep: Pep) -> ResponseReturnValue:
    """E-mail the setting's designated teacher that their sections are waiting."""
    _require_case_worker(pep)
    try:
        count = casework.chase_setting(current_user, pep)  # type: ignore[arg-type]
    except casework.CaseworkRefusedError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Reminder sent to the setting ({count} {'person' if count == 1 else 'people'})", "success")
    return redirect(url_for("peps.show", authority=authority, pep_id=pep.id))
