"""The education contact's page: PEPs of children with no setting, delegated to them."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access, clock
from portal.authorities.schema import Role
from portal.models import Authority
from portal.services import peps
from portal.services.authorities import config_for
from portal.services.paging import clamp_page

bp = Blueprint("education_contact", __name__, url_prefix="/a/<authority:authority>/education-contact")


@bp.get("/")
@access.authority_roles(Role.EDUCATION_CONTACT)
def dashboard(authority: Authority) -> ResponseReturnValue:
    page = peps.delegated_to_contact(current_user, authority, page=clamp_page(request.args.get("page")))  # type: ignore[arg-type]
    return render_template(
        "education_contact/dashboard.html",
        authority=authority,
        config=config_for(authority),
        page=page,
        my_roles={Role.DESIGNATED_TEACHER},
        today=clock.today(),
    )
