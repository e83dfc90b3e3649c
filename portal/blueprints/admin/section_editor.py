"""Structured editors of the PEP form: the sections of each phase template in order, and one
section's title, owners, readers and questions. Every change is made to the draft through
:func:`portal.services.process_drafts.edit_draft`, so the schema checks it before it is kept."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import AuthorityConfig, Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.editor_support import keep_edit
from portal.blueprints.admin.section_editor_forms import apply_section_form, fill_section_form, section_form
from portal.extensions import htmx
from portal.models import Authority
from portal.services import process_drafts
from portal.services.authorities import config_for

ADMIN = Role.AUTHORITY_ADMIN


def draft_config(authority: Authority) -> tuple[AuthorityConfig, str]:
    """The configuration the editors show, and the draft lock their forms carry."""
    return (
        process_drafts.validate(process_drafts.shown_document(authority)),
        process_drafts.lock_token(authority),
    )


# --- Sections of each phase template, in order ----------------------------------------------


def _phases(config: AuthorityConfig) -> list[dict[str, Any]]:
    return [
        {
            "key": phase.value,
            "label": template.label,
            "sections": [(key, config.sections[key]) for key in template.sections],
            "order": ",".join(template.sections),
        }
        for phase, template in config.phases.items()
    ]


@bp.get("/process/draft/sections")
@access.authority_roles(ADMIN)
def sections(authority: Authority) -> ResponseReturnValue:
    config, _ = draft_config(authority)
    return render_template(
        "admin/section_list.html",
        authority=authority,
        config=config,
        phases=_phases(config),
        # Blank forms print the published process, not the draft.
        published_phases=[(p.value, t.label) for p, t in config_for(authority).phases.items()],
    )


def _phase_partial(authority: Authority, phase: str, message: str = "") -> ResponseReturnValue:
    config, _ = draft_config(authority)
    shown = next((p for p in _phases(config) if p["key"] == phase), None)
    if shown is None:
        abort(404)
    return render_template(
        "admin/_section_order.html", authority=authority, config=config, phase=shown, message=message
    )


@bp.post("/process/draft/sections/move")
@access.authority_roles(ADMIN)
def move_section(authority: Authority) -> ResponseReturnValue:
    phase, key = request.form.get("phase", ""), request.form.get("section", "")
    direction = request.form.get("direction", "")
    shown_order = request.form.get("order", "")
    config, _ = draft_config(authority)
    template = next((t for p, t in config.phases.items() if p.value == phase), None)
    if template is None or key not in template.sections or direction not in {"up", "down"}:
        abort(400)
    message = ""
    if ",".join(template.sections) != shown_order:
        # The order moved under the administrator's feet: show them the order as it is now.
        message = "Someone else changed the order of these sections. Check it and try again."
    else:
        index = template.sections.index(key)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(template.sections):

            def change(document: dict[str, Any]) -> None:
                order = document["phases"][phase]["sections"]
                order[index], order[target] = order[target], order[index]

            title = config.sections[key].title
            try:
                # The order shown, not the draft's lock, guards a move: the lock of a page whose
                # other phases were moved by htmx would be stale, but their order is not.
                process_drafts.edit_draft(
                    authority,
                    current_user,
                    change,
                    what=f"moved section {key} {direction} in {phase}",
                    lock=process_drafts.lock_token(authority),
                )
            except (process_drafts.EditRefusedError, process_drafts.DraftConflictError):
                message = "The order could not be changed. Reload the page and try again."
            else:
                message = f"‘{title}’ moved {direction} in {template.label}."
    if htmx:
        return _phase_partial(authority, phase, message)
    flash(message, "error" if message.startswith(("Someone", "The order")) else "success")
    return redirect(url_for("admin.sections", authority=authority, _anchor=f"phase-{phase}"))


# --- One section ------------------------------------------------------------------------------


@bp.route("/process/draft/sections/<key>", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def edit_section_config(authority: Authority, key: str) -> ResponseReturnValue:
    config, lock = draft_config(authority)
    section = config.sections.get(key)
    if section is None:
        abort(404)
    form = section_form(config, section)
    problems: list[str] = []
    if request.method == "GET":
        fill_section_form(form, section, lock)
    elif form.validate_on_submit():

        def change(document: dict[str, Any]) -> None:
            apply_section_form(form, document["sections"][key])

        problems = keep_edit(authority, form.draft_lock.data, change, what=f"section {key}")
        if not problems:
            flash(f"‘{form.title.data.strip()}’ changed. Review your changes, then publish.", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    return render_section_page(authority, config, key, form, problems)


def render_section_page(
    authority: Authority,
    config: AuthorityConfig,
    key: str,
    form: Any,
    problems: list[str],
    rule_form: Any = None,
    rule_problems: list[str] | None = None,
) -> str:
    from portal.blueprints.admin.section_rules import rules_context

    lock = process_drafts.lock_token(authority)
    return render_template(
        "admin/section_edit.html",
        authority=authority,
        config=config,
        key=key,
        section=config.sections[key],
        form=form,
        config_problems=problems,
        **rules_context(authority, config, key, lock, rule_form, rule_problems or []),
    )
