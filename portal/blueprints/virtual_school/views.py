"""The Virtual School's pages: this term's PEPs by status and the authority's children."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask.typing import ResponseReturnValue

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.virtual_school import bp
from portal.models import Authority
from portal.services import children, peps
from portal.services.authorities import config_for
from portal.services.paging import clamp_page


@bp.get("/")
@access.authority_roles(Role.VIRTUAL_SCHOOL)
def overview(authority: Authority) -> ResponseReturnValue:
    config = config_for(authority)
    term = config.work_calendar.current_term(dt.date.today())
    search = request.args.get("q", "")[:100]
    return render_template(
        "virtual_school/overview.html",
        authority=authority,
        config=config,
        term=term,
        counts=peps.state_counts(authority, term) if term else [],
        page=children.children_with_latest_pep(
            authority, page=clamp_page(request.args.get("page")), search=search
        ),
        search=search,
        today=dt.date.today(),
    )
