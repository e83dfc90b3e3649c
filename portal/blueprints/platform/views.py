"""Authorities on this portal, and creating one from another's process."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.platform import bp
from portal.blueprints.platform.forms import FirstAdministratorForm, NewAuthorityForm
from portal.extensions import db
from portal.models import Authority
from portal.services import invitations
from portal.services.authorities import all_authorities, config_for
from portal.services.new_authorities import AuthorityRefusedError, NewAuthority, create_from_template


@bp.get("/authorities")
@access.platform_admin
def authorities() -> ResponseReturnValue:
    return render_template("platform/authorities.html", authorities=all_authorities())


@bp.route("/authorities/new", methods=["GET", "POST"])
@access.platform_admin
def new_authority() -> ResponseReturnValue:
    templates = {str(a.id): a for a in all_authorities()}
    form = NewAuthorityForm()
    form.template.choices = [("", "Select an authority")] + [(key, a.name) for key, a in templates.items()]
    if form.validate_on_submit():
        template = templates.get(form.template.data)
        if template is None:
            form.template.errors = ["Select the authority whose process to start from"]
        else:
            new = NewAuthority(
                slug=form.slug.data.strip(),
                name=form.name.data.strip(),
                short_name=form.short_name.data.strip(),
                virtual_school_name=form.virtual_school_name.data.strip(),
                contact_email=form.contact_email.data.strip(),
            )
            try:
                authority = create_from_template(current_user, template, new)
            except AuthorityRefusedError as refusal:
                db.session.rollback()
                for field, problem in refusal.problems.items():
                    form[field].errors = [problem]
            else:
                flash(
                    f"{authority.name} is created with {template.name}'s process. "
                    "Invite its first administrator to change it.",
                    "success",
                )
                return redirect(url_for("platform.authorities"))
    return render_template("platform/new_authority.html", form=form, authority_count=len(templates))


@bp.route("/authorities/<int:authority_id>/administrators", methods=["GET", "POST"])
@access.platform_admin
def invite_administrator(authority_id: int) -> ResponseReturnValue:
    """A new authority's first administrator (or a replacement) is invited from here: the
    platform administrator holds no role in the authority, so cannot use its people pages."""
    authority = db.get_or_404(Authority, authority_id)
    form = FirstAdministratorForm()
    if form.validate_on_submit():
        role_label = config_for(authority).role_label(Role.AUTHORITY_ADMIN)
        new = invitations.NewInvitation(
            full_name=form.full_name.data,
            email=form.email.data,
            role=Role.AUTHORITY_ADMIN,
            place=authority,
            role_label=role_label,
        )
        try:
            invitations.invite(current_user, new, authority_id=authority.id)
        except invitations.InvitationRefusedError as refusal:
            db.session.rollback()
            form[refusal.field or "email"].errors = [str(refusal)]
        else:
            flash(
                f"Invitation sent to {new.email.strip().lower()} as {role_label} of {authority.name}.",
                "success",
            )
            return redirect(url_for("platform.authorities"))
    return render_template("platform/invite_administrator.html", authority=authority, form=form)
