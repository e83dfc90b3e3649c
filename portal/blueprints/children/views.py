"""One child's record within their authority: who they are, their PEPs, and the case actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from portal import access, clock
from portal.authorities.schema import Role
from portal.authorities.vocabulary import PepKind
from portal.blueprints.casework_forms import (
    EducationContactForm,
    LeftCareForm,
    MoveSettingForm,
    StartPepForm,
    TransferForm,
    options,
)
from portal.blueprints.social_work.views import setting_choices
from portal.extensions import db
from portal.leaving_care import LEFT_CARE_REASONS
from portal.models import Authority, Child
from portal.services import audit, casework, children, people, peps
from portal.services.authorities import config_for

bp = Blueprint("children", __name__, url_prefix="/a/<authority:authority>/children")
CASE_ROLES = (Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.VIRTUAL_SCHOOL, Role.AUTHORITY_ADMIN)


class _NoForm:
    errors: dict[str, list[str]] = {}  # noqa: RUF012


_NO_FORM = _NoForm()


def _child(authority: Authority, child_id: int) -> Child:
    child = children.child_in_authority(authority, child_id)
    # 404, not 403: the page must not confirm that a child it will not show exists.
    if child is None or not access.can_view_child(current_user, child):  # type: ignore[arg-type]
        abort(404)
    return child


def _may_manage(authority: Authority, child: Child) -> bool:
    """The allocated social worker, or the authority's administrator, manages the case."""
    user = current_user
    return child.social_worker_id == user.id or access.has_authority_role(
        user, authority, {Role.AUTHORITY_ADMIN}
    )  # type: ignore[union-attr, arg-type]


def _forms(authority: Authority, child: Child, **given: Any) -> dict[str, Any]:
    config = config_for(authority)
    start = given.get("start_form") or StartPepForm()
    start.kind.choices = options([(kind.value, kind.label) for kind in PepKind])
    start.term.choices = options(
        [
            (
                f"{t.academic_year}-{t.term}",
                f"{t.term.capitalize()} {t.academic_year}-{(t.academic_year + 1) % 100:02d}",
            )
            for t in config.work_calendar.terms
            if t.ends >= clock.today()
        ]
    )
    transfer = given.get("transfer_form") or TransferForm()
    transfer.social_worker.choices = options(
        [("", "Select a social worker")]
        + [
            (str(w.id), w.full_name)
            for w in casework.social_workers(authority)
            if w.id != child.social_worker_id
        ]
    )
    move = given.get("move_form") or MoveSettingForm()
    move.setting_id.choices = setting_choices("No setting")
    contact = given.get("contact_form") or EducationContactForm(
        education_contact=str(child.education_contact_id or "")
    )
    contact.education_contact.choices = options(
        [("", "Nobody")]
        + [
            (str(u.id), u.full_name)
            for u in people.users_with_role(Role.EDUCATION_CONTACT, authority_id=authority.id)
        ]
    )
    left = given.get("left_care_form") or LeftCareForm(
        left_care_on=child.left_care_on, reason=child.left_care_reason
    )
    left.reason.choices = options(list(LEFT_CARE_REASONS.items()))
    return {
        "start_form": start,
        "transfer_form": transfer,
        "move_form": move,
        "contact_form": contact,
        "left_care_form": left,
        "left_care_reasons": LEFT_CARE_REASONS,
        "contact_label": config.role_label(Role.EDUCATION_CONTACT)
        if Role.EDUCATION_CONTACT in config.roles
        else None,
    }


def _render(authority: Authority, child: Child, **given: Any) -> ResponseReturnValue:
    config = config_for(authority)
    today = clock.today()
    pep_rows = [peps.describe(pep) for pep in children.peps_of_child(child)]
    current = next((row.pep for row in pep_rows if not row.final), None)
    return render_template(
        "children/show.html",
        authority=authority,
        config=config,
        child=child,
        year_group=child.year_group(today),
        template_label=children.phase_template(child, config, today),
        peps=pep_rows,
        current_pep=current,
        deadlines=children.deadlines_of(current) if current else [],
        today=today,
        may_manage=_may_manage(authority, child),
        # The form that failed, if any, for the layout's error summary and "Error:" title.
        form=next((f for f in given.values() if f.errors), None) or _NO_FORM,
        **_forms(authority, child, **given),
    )


@bp.get("/<int:child_id>")
@access.authority_roles(*CASE_ROLES)
def show(authority: Authority, child_id: int) -> ResponseReturnValue:
    child = _child(authority, child_id)
    html = _render(authority, child)
    audit.record("child.viewed", actor=current_user, authority_id=authority.id, subject=child)  # type: ignore[arg-type]
    db.session.commit()
    return html


def _managed(authority: Authority, child_id: int) -> Child:
    child = _child(authority, child_id)
    if not _may_manage(authority, child):
        abort(403)
    return child


def _act(
    authority: Authority,
    child_id: int,
    form_key: str,
    form: FlaskForm,
    action: Callable[[Child], tuple[str, str]],
) -> ResponseReturnValue:
    """Run one case action from the child's record: check the form, call the service, then go
    on with a success message, or show the record again with the refusal beside its field."""
    child = _managed(authority, child_id)
    _forms(authority, child, **{form_key: form})
    if form.validate_on_submit():
        try:
            message, target = action(child)
        except casework.CaseworkRefusedError as refused:
            form[refused.field or next(iter(form._fields))].errors = [str(refused)]
        else:
            flash(message, "success")
            return redirect(target)
    return _render(authority, child, **{form_key: form})


def _chosen_id(value: str | None, message: str, field: str) -> int | None:
    """The id picked in a select (None for the empty choice); nonsense is refused like a bad pick."""
    try:
        return int(value) if value else None
    except ValueError:
        raise casework.CaseworkRefusedError(message, field) from None


@bp.post("/<int:child_id>/peps")
@access.authority_roles(Role.SOCIAL_WORKER, Role.AUTHORITY_ADMIN)
def start_pep(authority: Authority, child_id: int) -> ResponseReturnValue:
    form = StartPepForm()

    def start(child: Child) -> tuple[str, str]:
        year, _, term = (form.term.data or "").partition("-")
        pep = casework.initiate_pep(current_user, child, PepKind(form.kind.data), int(year), term)  # type: ignore[arg-type]
        return f"{pep.kind.label} started for {pep.term_label}", url_for(
            "peps.show", authority=authority, pep_id=pep.id
        )

    return _act(authority, child_id, "start_form", form, start)


@bp.post("/<int:child_id>/transfer")
@access.authority_roles(Role.SOCIAL_WORKER, Role.AUTHORITY_ADMIN)
def transfer(authority: Authority, child_id: int) -> ResponseReturnValue:
    form = TransferForm()

    def hand_over(child: Child) -> tuple[str, str]:
        chosen = _chosen_id(form.social_worker.data, "Select the new social worker", "social_worker")
        worker = casework.transfer_case(current_user, child, chosen or 0)  # type: ignore[arg-type]
        return f"Case transferred to {worker.full_name}, who has been told by e-mail", url_for("auth.home")

    return _act(authority, child_id, "transfer_form", form, hand_over)


@bp.post("/<int:child_id>/setting")
@access.authority_roles(Role.SOCIAL_WORKER, Role.AUTHORITY_ADMIN)
def move_setting(authority: Authority, child_id: int) -> ResponseReturnValue:
    form = MoveSettingForm()

    def move(child: Child) -> tuple[str, str]:
        chosen = _chosen_id(
            form.setting_id.data, "Select the new education setting from the list", "setting_id"
        )
        transition = casework.move_setting(current_user, child, chosen)  # type: ignore[arg-type]
        started = f"; a transition PEP has started for {transition.term_label}" if transition else ""
        return (
            f"Setting changed. The previous setting no longer has this child's open PEPs{started}",
            url_for("children.show", authority=authority, child_id=child.id),
        )

    return _act(authority, child_id, "move_form", form, move)


@bp.post("/<int:child_id>/education-contact")
@access.authority_roles(Role.SOCIAL_WORKER, Role.AUTHORITY_ADMIN)
def education_contact(authority: Authority, child_id: int) -> ResponseReturnValue:
    form = EducationContactForm()

    def record(child: Child) -> tuple[str, str]:
        chosen = _chosen_id(form.education_contact.data, "Select someone from the list", "education_contact")
        contact = casework.record_education_contact(current_user, child, chosen)  # type: ignore[arg-type]
        message = (
            f"{contact.full_name} now gives {child.first_name}'s education input"
            if contact
            else "Education contact removed"
        )
        return message, url_for("children.show", authority=authority, child_id=child.id)

    return _act(authority, child_id, "contact_form", form, record)


@bp.post("/<int:child_id>/left-care")
@access.authority_roles(Role.SOCIAL_WORKER, Role.AUTHORITY_ADMIN)
def left_care(authority: Authority, child_id: int) -> ResponseReturnValue:
    form = LeftCareForm()

    def record(child: Child) -> tuple[str, str]:
        casework.record_left_care(current_user, child, form.left_care_on.data, form.reason.data or "")  # type: ignore[arg-type]
        return (
            f"{child.first_name}’s leaving care has been recorded. No new PEPs will be started for them.",
            url_for("children.show", authority=authority, child_id=child.id),
        )

    return _act(authority, child_id, "left_care_form", form, record)
