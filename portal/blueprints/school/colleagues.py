"""A designated teacher's colleagues at one of their settings: list, invite, remove."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.casework_forms import options
from portal.blueprints.people_forms import ColleagueInviteForm
from portal.blueprints.school.views import bp
from portal.models import EducationSetting, User
from portal.services import colleagues, invitations
from portal.services.invitations import INVITATION_LIFETIME, NewInvitation


def led_setting(setting_id: int) -> EducationSetting:
    """The setting named in the URL, if the signed-in user is its designated teacher; else 404."""
    setting = colleagues.setting_for_teacher(current_user, setting_id)  # type: ignore[arg-type]
    if setting is None:
        abort(404)
    return setting


def acting_user() -> User:
    return current_user  # type: ignore[return-value]


@bp.get("/settings/<int:setting_id>/colleagues")
@access.setting_roles(Role.DESIGNATED_TEACHER)
def colleagues_page(setting_id: int) -> ResponseReturnValue:
    setting = led_setting(setting_id)
    return render_template(
        "school/colleagues.html",
        setting=setting,
        people=colleagues.colleagues(setting),
        invitations=colleagues.pending_invitations(setting),
        me=acting_user(),
    )


@bp.route("/settings/<int:setting_id>/colleagues/invite", methods=["GET", "POST"])
@access.setting_roles(Role.DESIGNATED_TEACHER)
def invite_colleague(setting_id: int) -> ResponseReturnValue:
    setting = led_setting(setting_id)
    form = ColleagueInviteForm()
    form.role.choices = options([(role.value, role.label) for role in colleagues.INVITABLE])
    if form.validate_on_submit():
        role = Role(form.role.data)
        new = NewInvitation(
            full_name=form.full_name.data or "",
            email=form.email.data or "",
            role=role,
            place=setting,
            role_label=role.label,
        )
        try:
            invitation = invitations.invite(acting_user(), new, authority_id=None)
        except invitations.InvitationRefusedError as refused:
            form[refused.field or "email"].errors = [str(refused)]
        else:
            flash(
                f"Invitation sent to {invitation.email}. The link works for {INVITATION_LIFETIME.days} days",
                "success",
            )
            return redirect(url_for("school.colleagues_page", setting_id=setting.id))
    return render_template(
        "school/invite_colleague.html", setting=setting, form=form, lifetime_days=INVITATION_LIFETIME.days
    )


@bp.post("/settings/<int:setting_id>/colleagues/<int:user_id>/remove")
@access.setting_roles(Role.DESIGNATED_TEACHER)
def remove_colleague(setting_id: int, user_id: int) -> ResponseReturnValue:
    setting = led_setting(setting_id)
    try:
        user = colleagues.remove_setting_staff(acting_user(), setting, user_id)
    except colleagues.ColleagueChangeRefusedError as refused:
        flash(str(refused), "info")
    else:
        flash(f"{user.full_name} no longer has the setting staff role at {setting.name}", "success")
    return redirect(url_for("school.colleagues_page", setting_id=setting.id))
