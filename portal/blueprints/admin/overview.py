"""The administrator's overview: the process the portal runs for the authority, and how many people
work in it (managed on the people pages)."""

from __future__ import annotations

import datetime as dt

from flask import render_template
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.models import Authority
from portal.services import people, people_admin
from portal.services.authorities import config_for


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
        people_counts=people_admin.headline(authority),
        child_count=people.child_count(authority),
    )
