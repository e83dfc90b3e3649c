"""The deadlines editor: the draft's deadline rules in plain words; change, add or remove one.

Every change goes through the draft (editor_support.keep_edit): it is kept only if the whole
process is still valid, otherwise the page shows the schema's messages with what was typed.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.deadline_forms import DeadlineForm
from portal.blueprints.admin.editor_support import (
    LockedButtonForm,
    keep_edit,
    key_from_label,
    shown_config,
)
from portal.models import Authority
from portal.services import process_drafts

ADMIN = Role.AUTHORITY_ADMIN
KEPT = "Review your changes, then publish."


def _rule(document: dict[str, Any], key: str) -> dict[str, Any]:
    rule = next((r for r in document["deadlines"] if r["key"] == key), None)
    if rule is None:
        abort(404)
    return rule


@bp.get("/process/draft/deadlines")
@access.authority_roles(ADMIN)
def deadlines(authority: Authority) -> ResponseReturnValue:
    config = shown_config(authority)
    return render_template("admin/deadlines.html", authority=authority, config=config)


def _render(
    authority: Authority, form: DeadlineForm, *, key: str | None, problems: list[str] | None = None
) -> str:
    return render_template(
        "admin/deadline_form.html",
        authority=authority,
        form=form,
        key=key,
        remove_form=LockedButtonForm(draft_lock=form.draft_lock.data),
        config_problems=problems or [],
    )


def _form(authority: Authority) -> DeadlineForm:
    form = DeadlineForm()
    form.fill_choices(shown_config(authority))
    return form


@bp.route("/process/draft/deadlines/new", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def new_deadline(authority: Authority) -> ResponseReturnValue:
    form = _form(authority)
    problems: list[str] = []
    if form.validate_on_submit():
        taken = [r["key"] for r in process_drafts.shown_document(authority)["deadlines"]]
        rule = form.rule(key_from_label(form.label.data, taken, prefix="deadline"))

        def add(document: dict[str, Any]) -> None:
            document["deadlines"].append(rule)

        problems = keep_edit(authority, form.draft_lock.data, add, what=f"added deadline {rule['key']}")
        if not problems:
            flash(f"‘{rule['label']}’ added. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.draft_lock.data = process_drafts.lock_token(authority)
        form.offset_unit.data, form.offset_direction.data, form.emergency.data = (
            "working_days",
            "after",
            "both",
        )
        form.kinds.data = [choice.value for choice in form.kinds.choices]
        form.remind_unit.data = ""
        form.overdue_notice.data = True
    return _render(authority, form, key=None, problems=problems)


@bp.route("/process/draft/deadlines/<key>", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def edit_deadline(authority: Authority, key: str) -> ResponseReturnValue:
    current = _rule(process_drafts.shown_document(authority), key)
    form = _form(authority)
    problems: list[str] = []
    if form.validate_on_submit():
        rule = form.rule(key)

        def change(document: dict[str, Any]) -> None:
            rules = document["deadlines"]
            # Gone meanwhile (removed in another tab): refused as a stale page by keep_edit's lock.
            index = next(i for i, r in enumerate(rules) if r["key"] == key)
            rules[index] = rule

        problems = keep_edit(authority, form.draft_lock.data, change, what=f"deadline {key}")
        if not problems:
            flash(f"‘{rule['label']}’ changed. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.load(current)
        form.draft_lock.data = process_drafts.lock_token(authority)
    return _render(authority, form, key=key, problems=problems)


@bp.post("/process/draft/deadlines/<key>/remove")
@access.authority_roles(ADMIN)
def remove_deadline(authority: Authority, key: str) -> ResponseReturnValue:
    current = _rule(process_drafts.shown_document(authority), key)
    button = LockedButtonForm()
    if not button.validate_on_submit():
        return redirect(url_for("admin.edit_deadline", authority=authority, key=key))

    def remove(document: dict[str, Any]) -> None:
        document["deadlines"] = [r for r in document["deadlines"] if r["key"] != key]

    problems = keep_edit(authority, button.draft_lock.data, remove, what=f"removed deadline {key}")
    if not problems:
        flash(f"‘{current['label']}’ removed. {KEPT}", "success")
        return redirect(url_for("admin.review_draft", authority=authority))
    form = _form(authority)
    form.load(current)
    form.draft_lock.data = process_drafts.lock_token(authority)
    return _render(authority, form, key=key, problems=problems)
