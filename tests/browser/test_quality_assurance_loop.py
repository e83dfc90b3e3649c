"""Quality assurance in Chromium: the Virtual School takes a PEP from its queue and returns it with
feedback, the setting sees why and corrects it, the Virtual School signs it off, and the
compliance dashboard's grade figures change. Every page is scanned with axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal import clock
from portal.authorities.vocabulary import PepKind, Role
from portal.extensions import db
from portal.models import Authority, EducationSetting, Pep, User
from portal.services import workflow
from portal.services.authorities import config_for
from portal.services.pep_facts import config_of
from tests.browser.helpers import assert_accessible, quality_assure, sign_in
from tests.factories import make_child
from tests.walker import walk_to_qa

pytestmark = pytest.mark.usefixtures("demo_world")

SLUG = "cheshire-west-and-chester"
EMAILS = {
    Role.SOCIAL_WORKER: f"social.worker1@{SLUG}.example",
    Role.BUSINESS_SUPPORT: f"business.support@{SLUG}.example",
    Role.VIRTUAL_SCHOOL: f"virtual.school@{SLUG}.example",
    Role.DESIGNATED_TEACHER: "designated.teacher@hillside.example",
}


def pep_awaiting_qa(app: Flask) -> tuple[int, list[str]]:
    """A Hillside pupil's PEP, walked by the demo people to Cheshire West's QA step."""
    with app.app_context():
        people = {role: db.session.scalar(select(User).where(User.email == e)) for role, e in EMAILS.items()}
        authority = db.session.scalar(select(Authority).where(Authority.slug == SLUG))
        hillside = db.session.scalar(
            select(EducationSetting).where(EducationSetting.name == "Hillside High School")
        )
        child = make_child(
            authority,
            "Quinn",
            "Assured",
            social_worker=people[Role.SOCIAL_WORKER],
            setting=hillside,
            date_of_birth=dt.date(2012, 2, 2),
        )
        today = clock.today()
        term = config_for(authority).work_calendar.current_term(today)
        pep = workflow.start_pep(
            child, kind=PepKind.TERMLY_REVIEW, academic_year=term.academic_year, term=term.term, actor=None
        )
        walk_to_qa(pep, people, today)
        assert pep.state == "awaiting_qa"
        return pep.id, [c.key for c in config_of(pep).qa.criteria]


def grade_figure(page: Page, live_server: str, label: str) -> int:
    page.goto(f"{live_server}/a/{SLUG}/virtual-school/compliance")
    row = page.locator("#qa_grades tr", has=page.get_by_role("rowheader", name=re.compile(f"^{label}")))
    # The figure is a link to the PEPs behind it, with hidden words saying what it counts.
    return int(re.match(r"\d+", row.locator("td").first.inner_text().strip()).group())


def test_qa_from_queue_to_return_correction_and_sign_off(
    browser: Browser, live_server: str, app: Flask
) -> None:
    pep_id, criteria = pep_awaiting_qa(app)
    pep_url = f"{live_server}/a/{SLUG}/peps/{pep_id}"
    vs = browser.new_context().new_page()
    sign_in(vs, live_server, EMAILS[Role.VIRTUAL_SCHOOL])
    green_before = grade_figure(vs, live_server, "Green")
    assert_accessible(vs)

    # The queue lists the PEP; the co-ordinator opens it and returns it with feedback.
    vs.goto(f"{live_server}/a/{SLUG}/virtual-school/quality-assurance")
    assert_accessible(vs)
    vs.get_by_role("link", name="Quality assure Quinn Assured's PEP").click()
    expect(vs.get_by_role("heading", level=1)).to_have_text("Quality assurance: Quinn Assured")
    quality_assure(
        vs,
        pep_url,
        criteria=criteria,
        grade="red",
        outcome="Return to setting for improvement",
        feedback="The targets do not say how progress will be measured.",
        outstanding=("Current SMART targets",),
    )
    expect(vs.locator(".govuk-notification-banner--success")).to_contain_text("returned for improvement")
    assert_accessible(vs)

    # The setting sees the return on its dashboard and on the PEP, corrects it and sends it back.
    dt_page = browser.new_context().new_page()
    sign_in(dt_page, live_server, EMAILS[Role.DESIGNATED_TEACHER])
    dt_page.goto(f"{live_server}/school/?q=Quinn")
    row = dt_page.locator("tr", has_text="Quinn Assured")
    expect(row).to_contain_text("Returned for improvement")
    expect(row).to_contain_text("The targets do not say how progress will be measured.")
    row.get_by_role("link", name=re.compile("Quinn Assured")).click()
    banner = dt_page.get_by_role("region", name="Returned for improvement")
    expect(banner).to_contain_text("The targets do not say how progress will be measured.")
    expect(banner.get_by_role("link", name="Current SMART targets")).to_be_visible()
    assert_accessible(dt_page)
    box = dt_page.locator("#section-smart_targets")
    box.get_by_role("button", name=re.compile(r"^Change")).click()
    dt_page.locator('#section-smart_targets [name="targets-0-measure"]').fill(
        "Reading age checked every half term"
    )
    box.get_by_role("button", name="Save and mark as complete").click()
    expect(dt_page.locator("#section-smart_targets .govuk-tag").first).to_have_text("Completed")
    dt_page.get_by_role("button", name="Send updated PEP for quality assurance").click()
    expect(dt_page.locator("#pep-actions .govuk-notification-banner--success")).to_contain_text("Done:")
    dt_page.goto(f"{live_server}/school/?q=Quinn")
    expect(dt_page.locator("tr", has_text="Quinn Assured")).not_to_contain_text("Returned for improvement")

    # Back in the queue, marked as returning; the co-ordinator signs it off.
    vs.goto(f"{live_server}/a/{SLUG}/virtual-school/quality-assurance")
    expect(vs.locator("tr", has_text="Quinn Assured")).to_contain_text("Back after a return")
    quality_assure(
        vs,
        pep_url,
        criteria=criteria,
        grade="green",
        outcome="Quality assured: send back to Business Support",
    )
    vs.goto(pep_url)
    expect(vs.locator(".govuk-summary-card")).to_have_count(2)
    assert_accessible(vs)
    assert grade_figure(vs, live_server, "Green") == green_before + 1
    with app.app_context():
        assert db.session.get(Pep, pep_id).state == "with_business_support_to_record"
    for page in (vs, dt_page):
        page.context.close()
