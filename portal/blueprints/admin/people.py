"""Manage people: who holds a role, invitations, giving and removing roles, disabling accounts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from portal import access
from portal.authorities.schema import AuthorityConfig, Role
from portal.authorities.vocabulary import SETTING_ROLES
from portal.blueprints.admin import bp
from portal.blueprints.casework_forms import options
from portal.blueprints.people_forms import InviteForm, RoleForm
from portal.models import Authority, EducationSetting, User
from portal.navigation import ROLE_ORDER
from portal.services import invitations, people_admin
from portal.services.authorities import config_for
from portal.services.invitations import INVITATION_LIFETIME, NewInvitation
from portal.services.paging import clamp_page


def role_choices(config: AuthorityConfig) -> list[tuple[str, str]]:
    """The roles this authority uses, in the portal's usual order, by the authority's own names."""
    return [(role.value, config.role_label(role)) for role in ROLE_ORDER if role in config.roles]


def setting_choices(authority: Authority) -> list[SelectChoice]:
    settings = people_admin.settings_in_scope(authority)
    return options([("", "Not a setting's role")] + [(str(s.id), s.name) for s in settings])


def prepare(form: RoleForm, authority: Authority, config: AuthorityConfig) -> None:
    form.role.choices = options([("", "Choose a role"), *role_choices(config)])
    form.setting_id.choices = setting_choices(authority)


def chosen_place(form: RoleForm, authority: Authority) -> Authority | EducationSetting | None:
    """The authority, or the chosen setting (only one where the authority has children)."""
    if Role(form.role.data) not in SETTING_ROLES:
        return authority
    chosen = form.setting_id.data or ""
    setting_id = int(chosen) if chosen.isdigit() and len(chosen) <= 9 else 0
    setting = people_admin.setting_in_scope(authority, setting_id)
    if setting is None:
        form.setting_id.errors = ["Select a setting from the list"]
    return setting


def load_person(authority: Authority, user_id: int) -> User:
    user = people_admin.person(authority, user_id)
    if user is None:
        abort(404)
    return user


def acting_user() -> User:
    return current_user  # type: ignore[return-value]


@bp.get("/people")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def people(authority: Authority) -> ResponseReturnValue:
    config = config_for(authority)
    role = request.args.get("role", "")
    filters = people_admin.PeopleFilters(
        search=request.args.get("q", "")[: people_admin.SEARCH_LIMIT],
        role=Role(role) if role in config.roles else None,
    )
    return render_template(
        "admin/people.html",
        authority=authority,
        config=config,
        filters=filters,
        role_choices=role_choices(config),
        page=people_admin.people(authority, filters, page=clamp_page(request.args.get("page"))),
        invitations=people_admin.pending_invitations(authority, filters),
        setting_ids=set(s.id for s in people_admin.settings_in_scope(authority)),
    )


@bp.route("/people/invite", methods=["GET", "POST"])
@access.authority_roles(Role.AUTHORITY_ADMIN)
def invite_person(authority: Authority) -> ResponseReturnValue:
    config = config_for(authority)
    form = InviteForm()
    prepare(form, authority, config)
    if form.validate_on_submit() and (place := chosen_place(form, authority)) is not None:
        role = Role(form.role.data)
        new = NewInvitation(
            full_name=form.full_name.data or "",
            email=form.email.data or "",
            role=role,
            place=place,
            role_label=config.role_label(role),
        )
        try:
            invitation = invitations.invite(acting_user(), new, authority_id=authority.id)
        except invitations.InvitationRefusedError as refused:
            form[refused.field or "email"].errors = [str(refused)]
        else:
            flash(
                f"Invitation sent to {invitation.email}. The link works for {INVITATION_LIFETIME.days} days",
                "success",
            )
            return redirect(url_for("admin.people", authority=authority))
    return render_template(
        "admin/invite.html",
        authority=authority,
        config=config,
        form=form,
        lifetime_days=INVITATION_LIFETIME.days,
    )


@bp.post("/people/invitations/<int:invitation_id>/revoke")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def revoke_invitation(authority: Authority, invitation_id: int) -> ResponseReturnValue:
    invitation = people_admin.pending_invitation(authority, invitation_id)
    if invitation is None:
        flash("That invitation is no longer waiting: it was accepted, withdrawn or has expired", "info")
    else:
        invitations.revoke(acting_user(), invitation, authority_id=authority.id)
        flash(f"Invitation to {invitation.email} withdrawn. Its link no longer works", "success")
    return redirect(url_for("admin.people", authority=authority))


def render_person(authority: Authority, user: User, form: RoleForm | None = None) -> ResponseReturnValue:
    config = config_for(authority)
    if form is None:
        form = RoleForm(formdata=None)
    prepare(form, authority, config)
    return render_template(
        "admin/person.html",
        authority=authority,
        config=config,
        person=user,
        roles=people_admin.roles_here(authority, user),
        roles_elsewhere=people_admin.roles_elsewhere(authority, user),
        form=form,
    )


@bp.get("/people/<int:user_id>")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def person(authority: Authority, user_id: int) -> ResponseReturnValue:
    return render_person(authority, load_person(authority, user_id))


@bp.post("/people/<int:user_id>/roles")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def give_role(authority: Authority, user_id: int) -> ResponseReturnValue:
    user = load_person(authority, user_id)
    config = config_for(authority)
    form = RoleForm()
    prepare(form, authority, config)
    if form.validate_on_submit() and (place := chosen_place(form, authority)) is not None:
        role = Role(form.role.data)
        try:
            people_admin.give_role(acting_user(), authority, user, role, place, config.role_label(role))
        except people_admin.PeopleChangeRefusedError as refused:
            form.role.errors = [str(refused)]
        else:
            flash(f"{user.full_name} now has the role {config.role_label(role)} at {place.name}", "success")
            return redirect(url_for("admin.person", authority=authority, user_id=user.id))
    return render_person(authority, user, form)


@bp.post("/people/<int:user_id>/roles/remove")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def remove_role(authority: Authority, user_id: int) -> ResponseReturnValue:
    user = load_person(authority, user_id)
    membership_id = request.form.get("membership", "")
    try:
        role, place = people_admin.remove_role(
            acting_user(), authority, user, int(membership_id) if membership_id.isdigit() else 0
        )
    except people_admin.PeopleChangeRefusedError as refused:
        flash(str(refused), "info")
    else:
        flash(
            f"Role {config_for(authority).role_label(role)} at {place} removed from {user.full_name}",
            "success",
        )
        if not access.has_authority_role(acting_user(), authority, {Role.AUTHORITY_ADMIN}):
            return redirect(url_for("auth.home"))
    return redirect(url_for("admin.person", authority=authority, user_id=user_id))


@bp.post("/people/<int:user_id>/disable")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def disable_account(authority: Authority, user_id: int) -> ResponseReturnValue:
    user = load_person(authority, user_id)
    try:
        people_admin.disable(acting_user(), authority, user)
    except people_admin.PeopleChangeRefusedError as refused:
        flash(str(refused), "info")
    else:
        flash(f"{user.full_name}'s account is disabled. They are signed out and cannot sign in", "success")
    return redirect(url_for("admin.person", authority=authority, user_id=user_id))


@bp.post("/people/<int:user_id>/enable")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def enable_account(authority: Authority, user_id: int) -> ResponseReturnValue:
    user = load_person(authority, user_id)
    people_admin.enable(acting_user(), authority, user)
    flash(f"{user.full_name}'s account is enabled. They can sign in again", "success")
    return redirect(url_for("admin.person", authority=authority, user_id=user_id))
