"""The designated teacher's pages: every PEP delegated to their setting, from every authority."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access, clock
from portal.authorities.schema import SETTING_ROLES, Role
from portal.services import peps
from portal.services.paging import clamp_page

bp = Blueprint("school", __name__, url_prefix="/school")


def filters_from_request() -> peps.SettingFilters:
    """Filters from the query string; anything unrecognised falls back to the default."""
    show = request.args.get("show", peps.Show.OPEN)
    return peps.SettingFilters(
        authority=request.args.get("authority", "")[:80],
        term=request.args.get("term", "")[:20],
        show=peps.Show(show) if show in set(peps.Show) else peps.Show.OPEN,
        search=request.args.get("q", "")[:100],
    )


@bp.get("/")
@access.setting_roles(Role.DESIGNATED_TEACHER, Role.SETTING_STAFF)
def dashboard() -> ResponseReturnValue:
    filters = filters_from_request()
    page = peps.delegated_to_settings(
        current_user, page=clamp_page(request.args.get("page")), filters=filters
    )  # type: ignore[arg-type]
    authorities, terms = peps.filter_choices(current_user)  # type: ignore[arg-type]
    settings = sorted(
        {m.setting.name for m in access.memberships(current_user, SETTING_ROLES) if m.setting}  # type: ignore[arg-type]
    )
    return render_template(
        "school/dashboard.html",
        page=page,
        settings=settings,
        my_roles={Role.DESIGNATED_TEACHER},
        filters=filters,
        show_labels=peps.SHOW_LABELS,
        authorities=authorities,
        terms=terms,
        today=clock.today(),
        soon=clock.today().toordinal() + 7,
    )


from portal.blueprints.school import colleagues  # noqa: E402, F401
