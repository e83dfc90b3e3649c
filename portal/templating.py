"""Template set-up: GOV.UK Frontend helpers, filters and what every page needs to know."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, g
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers

from portal import navigation
from portal.authorities.schema import SETTING_ROLES
from portal.school_years import academic_year_label, year_group_label
from portal.section_forms import display_answer, input_id
from portal.services import pep_windows

SERVICE_NAME = "PEP Portal"
LONDON = ZoneInfo("Europe/London")


def init_app(app: Flask) -> None:
    WTFormsHelpers(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["govuk_date"] = govuk_date
    app.jinja_env.filters["govuk_datetime"] = govuk_datetime
    app.jinja_env.filters["academic_year"] = academic_year_label
    app.jinja_env.filters["year_group"] = year_group_label
    app.jinja_env.filters["singular_label"] = singular_label
    app.jinja_env.filters["row_noun"] = row_noun
    app.jinja_env.filters["with_article"] = with_article
    app.jinja_env.filters["sentence"] = sentence
    app.jinja_env.globals["display_answer"] = display_answer
    app.jinja_env.globals["input_id"] = input_id
    app.jinja_env.globals["pep_windows"] = pep_windows.windows_for
    app.context_processor(page_context)


def sentence(text: str) -> str:
    """Capitalise the first letter only (Jinja's capitalize lowercases the rest)."""
    return text[:1].upper() + text[1:]


def singular_label(label: str) -> str:
    """ "Targets" -> "Target", for naming one row of a repeating group."""
    return label[:-1] if label.endswith("s") and not label.endswith("ss") else label


def row_noun(label: str) -> str:
    """ "SMART targets" -> "SMART target", "Actions" -> "action": one row, in running text."""
    noun = singular_label(label)
    return noun if noun[:2].isupper() else noun[:1].lower() + noun[1:]


def with_article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def govuk_date(value: dt.date | None) -> str:
    """GOV.UK style: 7 March 2027. Dates are dates, not datetimes."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: dt.datetime | None) -> str:
    """Stored in UTC, shown in Europe/London: 7 March 2027 at 2:05pm."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{govuk_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def page_context() -> dict[str, Any]:
    context: dict[str, Any] = {"service_name": SERVICE_NAME, "csp_nonce": g.get("csp_nonce", "")}
    if current_user.is_authenticated:
        context["service_navigation"] = navigation.service_navigation(current_user)
        context["signed_in_roles"] = signed_in_roles()
    return context


def signed_in_roles() -> list[str]:
    """What the header says about who is signed in: each role with its setting or authority."""
    from portal.services.authorities import config_for

    summaries = []
    for membership in sorted(current_user.memberships, key=lambda m: navigation.ROLE_ORDER.index(m.role)):
        if membership.role in SETTING_ROLES or membership.authority is None:
            label = membership.role.label
        else:
            label = config_for(membership.authority).role_label(membership.role)
        summaries.append(navigation.role_summary(membership, label))
    return summaries
