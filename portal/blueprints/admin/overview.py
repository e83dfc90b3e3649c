"""The administrator's overview: the process the portal runs for the authority, and its people."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.models import Authority
from portal.services import people
from portal.services.authorities import config_for
from portal.services.paging import clamp_page


@bp.get("/")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def overview(authority: Authority) -> ResponseReturnValue:
    config = config_for(authority)
    return render_template(
        "admin/overview.html",
        authority=authority,
        config=config,
        term=config.work_calendar.current_term(dt.date.today()),
        version=authority.current_config_version,
        users=people.authority_users(authority, page=clamp_page(request.args.get("page"))),
        child_count=people.child_count(authority),
    )
