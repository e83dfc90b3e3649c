"""The funding and quality assurance editors: Pupil Premium Plus rules, and the Virtual School's
grading scale, criteria and sampling, each changing the draft.

The QA page is one form: its buttons that add, remove or move a grade or criterion also keep what
was typed in the other rows, so nothing typed is lost whichever button is pressed.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.editor_support import keep_edit, key_from_label
from portal.blueprints.admin.oversight_forms import FundingForm, QualityAssuranceForm
from portal.models import Authority
from portal.services import process_drafts

ADMIN = Role.AUTHORITY_ADMIN
KEPT = "Review your changes, then publish."


@bp.route("/process/draft/funding", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def funding(authority: Authority) -> ResponseReturnValue:
    document = process_drafts.shown_document(authority)
    form = FundingForm()
    form.fill_choices(document["qa"]["scale"], document["authority"]["virtual_school_name"])
    problems: list[str] = []
    if form.validate_on_submit():
        funding = form.funding()

        def change(draft: dict[str, Any]) -> None:
            draft["funding"] = funding

        problems = keep_edit(authority, form.draft_lock.data, change, what="funding")
        if not problems:
            flash(f"Funding changed. {KEPT}", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    elif request.method == "GET":
        form.load(document["funding"])
        form.draft_lock.data = process_drafts.lock_token(authority)
    return render_template("admin/funding.html", authority=authority, form=form, config_problems=problems)


def _apply(action: str, qa: dict[str, Any], form: QualityAssuranceForm) -> str:
    """Change ``qa`` as the pressed button says; what happened, for the success message."""
    name, _, index_text = action.partition(":")
    index = int(index_text) if index_text.isdigit() else -1
    scale, criteria = qa["scale"], qa["criteria"]
    if name == "add_grade":
        label = form.new_grade_label.data.strip()
        key = key_from_label(label, [g["key"] for g in scale], prefix="grade")
        scale.append({"key": key, "label": label, "returns": False})
        return f"‘{label}’ added to the scale."
    if name == "add_criterion":
        label = form.new_criterion_label.data.strip()
        key = key_from_label(label, [c["key"] for c in criteria], prefix="criterion")
        criteria.append({"key": key, "label": label, "description": ""})
        return f"‘{label}’ added to the criteria."
    if name == "remove_grade" and 0 <= index < len(scale):
        return f"‘{scale.pop(index)['label']}’ removed from the scale."
    if name == "remove_criterion" and 0 <= index < len(criteria):
        return f"‘{criteria.pop(index)['label']}’ removed from the criteria."
    if name in ("up_grade", "down_grade") and 0 <= index < len(scale):
        other = index - 1 if name == "up_grade" else index + 1
        if 0 <= other < len(scale):
            scale[index], scale[other] = scale[other], scale[index]
        return f"‘{scale[other if 0 <= other < len(scale) else index]['label']}’ moved."
    return "Quality assurance changed."


def _missing_new_label(action: str, form: QualityAssuranceForm) -> bool:
    if action == "add_grade" and not (form.new_grade_label.data or "").strip():
        form.new_grade_label.errors = ["Enter the name of the new grade"]
        return True
    if action == "add_criterion" and not (form.new_criterion_label.data or "").strip():
        form.new_criterion_label.errors = ["Enter the new criterion"]
        return True
    return False


@bp.route("/process/draft/quality-assurance", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def quality_assurance_config(authority: Authority) -> ResponseReturnValue:
    form = QualityAssuranceForm()
    problems: list[str] = []
    action = request.form.get("action", "keep")
    if form.validate_on_submit() and not _missing_new_label(action, form):
        qa = form.qa()
        done = _apply(action, qa, form)

        def change(draft: dict[str, Any]) -> None:
            draft["qa"] = qa

        problems = keep_edit(authority, form.draft_lock.data, change, what=f"quality assurance ({action})")
        if not problems:
            if action == "keep":
                flash(f"Quality assurance changed. {KEPT}", "success")
                return redirect(url_for("admin.review_draft", authority=authority))
            flash(f"{done} {KEPT}", "success")
            return redirect(url_for("admin.quality_assurance_config", authority=authority))
    elif request.method == "GET":
        form.load(process_drafts.shown_document(authority)["qa"])
        form.draft_lock.data = process_drafts.lock_token(authority)
    return render_template(
        "admin/quality_assurance_config.html", authority=authority, form=form, config_problems=problems
    )
