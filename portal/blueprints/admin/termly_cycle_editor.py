"""The termly cycle editor: whether each term's PEPs start automatically, who hears, a provisional
meeting date, when the term's PEP window closes and sharing the previous PEP, changing the draft."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.editor_support import keep_edit
from portal.blueprints.admin.termly_cycle_forms import TermlyCycleForm
from portal.models import Authority
from portal.services import process_drafts

ADMIN = Role.AUTHORITY_ADMIN
KEPT = "Review your changes, then publish."


@bp.route("/process/draft/termly-cycle", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def termly_cycle(authority: Authority) -> ResponseReturnValue:
    document = process_drafts.shown_document(authority)
    config = process_drafts.validate(document)
    form = TermlyCycleForm()
    form.fill_choices(config)
    problems: list[str] = []
    if form.validate_on_submit():
        # A version stored before the table existed has none: start from what it means (defaults).
        cycle = form.termly_cycle(document.get("termly_cycle") or config.termly_cycle.model_dump(mode="json"))

        def change(draft: dict[str, Any]) -> None:
            draft["termly_cycle"] = cycle

        problems = keep_edit(authority, form.draft_lock.data, change, what="termly cycle")
        if not problems:
            flash(f"Termly cycle and PEP window changed. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.load(config.termly_cycle)
        form.draft_lock.data = process_drafts.lock_token(authority)
    return render_template(
        "admin/termly_cycle.html", authority=authority, form=form, config_problems=problems
    )
