"""The Virtual School's list of PEPs with PP+ requests waiting for its decision."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.virtual_school import bp
from portal.models import Authority
from portal.services import pp_plus
from portal.services.authorities import config_for
from portal.services.paging import clamp_page


@bp.get("/pp-plus")
@access.authority_roles(Role.VIRTUAL_SCHOOL)
def pp_plus_requests(authority: Authority) -> ResponseReturnValue:
    return render_template(
        "virtual_school/pp_plus.html",
        authority=authority,
        config=config_for(authority),
        page=pp_plus.awaiting_decision(authority, page=clamp_page(request.args.get("page"))),
        money=pp_plus.money,
    )
