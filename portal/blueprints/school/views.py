"""The designated teacher's pages: every PEP delegated to their setting, from every authority."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import SETTING_ROLES, Role
from portal.services import peps
from portal.services.paging import clamp_page

bp = Blueprint("school", __name__, url_prefix="/school")


@bp.get("/")
@access.setting_roles(Role.DESIGNATED_TEACHER, Role.SETTING_STAFF)
def dashboard() -> ResponseReturnValue:
    page = peps.delegated_to_settings(current_user, page=clamp_page(request.args.get("page")))  # type: ignore[arg-type]
    settings = sorted(
        {m.setting.name for m in access.memberships(current_user, SETTING_ROLES) if m.setting}  # type: ignore[arg-type]
    )
    return render_template("school/dashboard.html", page=page, settings=settings, my_roles=set(SETTING_ROLES))
