"""The social worker's pages: their caseload in one authority."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import Role
from portal.models import Authority
from portal.services import children
from portal.services.authorities import config_for
from portal.services.paging import clamp_page

bp = Blueprint("social_work", __name__, url_prefix="/a/<authority:authority>/social-work")


@bp.get("/caseload")
@access.authority_roles(Role.SOCIAL_WORKER)
def caseload(authority: Authority) -> ResponseReturnValue:
    search = request.args.get("q", "")[:100]
    page = children.children_with_latest_pep(
        authority,
        page=clamp_page(request.args.get("page")),
        social_worker=current_user,  # type: ignore[arg-type]
        search=search,
    )
    return render_template(
        "social_work/caseload.html",
        authority=authority,
        config=config_for(authority),
        page=page,
        search=search,
        today=dt.date.today(),
    )
