"""Business support's pages: the PEPs waiting for them to send, chase or type up."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.models import Authority
from portal.services import peps
from portal.services.authorities import config_for
from portal.services.paging import clamp_page

bp = Blueprint("business_support", __name__, url_prefix="/a/<authority:authority>/business-support")


@bp.get("/")
@access.authority_roles(Role.BUSINESS_SUPPORT)
def queue(authority: Authority) -> ResponseReturnValue:
    page = peps.waiting_for_role(authority, Role.BUSINESS_SUPPORT, page=clamp_page(request.args.get("page")))
    return render_template(
        "business_support/queue.html",
        authority=authority,
        config=config_for(authority),
        page=page,
        my_roles={Role.BUSINESS_SUPPORT},
    )
