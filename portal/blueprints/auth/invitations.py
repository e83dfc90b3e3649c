"""Accepting an invitation: the public page the e-mailed link opens.

A new address sets a password and is signed in; an existing account must be signed in as the
address invited. Links that expired, were withdrawn or were used get a plain page, never a trace.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user

from portal import access
from portal.authorities.vocabulary import SETTING_ROLES
from portal.blueprints.auth.views import bp
from portal.blueprints.errors import render_error
from portal.blueprints.people_forms import AcceptInvitationForm, AcceptRoleForm
from portal.models import Invitation, User
from portal.security import start_session
from portal.services import invitations
from portal.services.authorities import config_for
from portal.services.invitations import INVITATION_LIFETIME, InvitationRefusedError, LinkState

CLOSED = {
    LinkState.EXPIRED: (
        "This invitation has expired",
        f"Invitation links work for {INVITATION_LIFETIME.days} days. "
        "Ask the person who invited you to send a new invitation.",
    ),
    LinkState.REVOKED: (
        "This invitation has been withdrawn",
        "The person who invited you withdrew it. Ask them if you still need access.",
    ),
    LinkState.USED: (
        "This invitation has already been used",
        "Each invitation link works once. Sign in with the email address it was sent to.",
    ),
}


def role_label(invitation: Invitation) -> str:
    if invitation.role in SETTING_ROLES or invitation.authority is None:
        return invitation.role.label
    return config_for(invitation.authority).role_label(invitation.role)


def closed(state: LinkState) -> ResponseReturnValue:
    return render_error(410, *CLOSED[state])


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@access.public
def invitation(token: str) -> ResponseReturnValue:
    found = invitations.find(token)
    if found is None:
        return render_error(
            404,
            "This invitation link is not valid",
            "Check you copied the whole link from the email. If it still does not work, ask the "
            "person who invited you to send a new invitation.",
        )
    if (state := invitations.state_of(found)) is not LinkState.OPEN:
        return closed(state)
    account = invitations.account_for(found)
    signed_in_as: User | None = current_user if current_user.is_authenticated else None  # type: ignore[assignment]
    page = {"invitation": found, "role_label": role_label(found), "place": invitations.place_of(found)}
    if invitations.has_account(account):
        assert account is not None
        if not account.is_enabled:
            return render_error(
                403,
                "This account is disabled",
                "Ask the person who invited you to contact your administrator.",
            )
        if signed_in_as is None or signed_in_as.id != account.id:
            return render_template("auth/invitation.html", mode="sign in", signed_in_as=signed_in_as, **page)
        form: AcceptRoleForm | AcceptInvitationForm = AcceptRoleForm()
        if form.validate_on_submit():
            try:
                invitations.accept_as(found, account)
            except InvitationRefusedError:
                return closed(invitations.state_of(found))
            flash(f"You now have the role {page['role_label']} at {page['place'].name}", "success")
            return redirect(url_for("auth.home"))
        return render_template("auth/invitation.html", mode="accept", form=form, **page)
    if signed_in_as is not None:
        return render_template("auth/invitation.html", mode="sign out", signed_in_as=signed_in_as, **page)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_with_new_password(found, form.password.data or "")
        except InvitationRefusedError as refused:
            if refused.field != "password":
                return closed(invitations.state_of(found))
            form.password.errors = [str(refused)]
        else:
            start_session(user)
            login_user(user)
            flash(
                f"Your account is ready. You have the role {page['role_label']} at {page['place'].name}",
                "success",
            )
            return redirect(url_for("auth.home"))
    return render_template("auth/invitation.html", mode="create", form=form, next_path=request.path, **page)
