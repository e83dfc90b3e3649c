"""The complete loop in Chromium for each shipped authority: a child becomes looked after and their
initial PEP goes all the way to finalised, each role acting in turn in their own browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal import clock
from portal.authorities import engine
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Child, Pep
from portal.services.pep_facts import config_of, facts_for
from tests.browser.helpers import assert_accessible, complete_section, quality_assure, sign_in
from tests.walker import distances_to_final

pytestmark = pytest.mark.usefixtures("demo_world")

SHIPPED = ["cheshire-west-and-chester", "lancashire", "bradford", "example-borough"]


def demo_people(slug: str) -> dict[Role, str]:
    people = {
        Role.SOCIAL_WORKER: f"social.worker1@{slug}.example",
        Role.VIRTUAL_SCHOOL: f"virtual.school@{slug}.example",
        Role.DESIGNATED_TEACHER: "designated.teacher@hillside.example",
    }
    if slug in ("cheshire-west-and-chester", "lancashire"):
        people[Role.BUSINESS_SUPPORT] = f"business.support@{slug}.example"
    return people


def fill_date(page: Page, name: str, day: dt.date) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


@pytest.mark.parametrize("slug", SHIPPED)
def test_from_became_looked_after_to_finalised(
    browser: Browser, live_server: str, app: Flask, slug: str
) -> None:
    today = clock.today()
    pages: dict[Role, Page] = {}
    for role, email in demo_people(slug).items():
        pages[role] = browser.new_context().new_page()
        sign_in(pages[role], live_server, email)
    sw = pages[Role.SOCIAL_WORKER]

    # The social worker records the child: their initial PEP starts.
    sw.goto(f"{live_server}/a/{slug}/social-work/caseload")
    sw.get_by_role("button", name="A child has become looked after").click()
    assert_accessible(sw)
    first_name = f"Loop{slug.split('-')[0].capitalize()}"
    sw.get_by_label("First name").fill(first_name)
    sw.get_by_label("Last name").fill("Tester")
    fill_date(sw, "date_of_birth", dt.date(2013, 5, 1))
    fill_date(sw, "became_looked_after_on", today - dt.timedelta(days=5))
    sw.locator('input[name="emergency_placement"][value="no"]').check()
    sw.get_by_label("Education setting").select_option(label="Hillside High School")
    sw.get_by_role("button", name="Record and start the initial PEP").click()
    expect(sw.locator(".govuk-notification-banner--success")).to_contain_text("initial PEP started")
    pep_url = sw.url
    assert re.search(r"/peps/\d+$", pep_url)
    assert_accessible(sw)

    # The meeting is held today.
    fill_date(sw, "meeting_date", today)
    sw.get_by_role("button", name="Save the meeting date").click()
    expect(sw.locator(".govuk-notification-banner--success")).to_contain_text("PEP meeting set for")

    with app.app_context():
        pep_id = db.session.scalar(select(Pep.id).join(Child).where(Child.first_name == first_name))
    saw_refusal = False
    for _ in range(15):
        with app.app_context():
            pep = db.session.get(Pep, pep_id)
            config = config_of(pep)
            if config.step(pep.state).final:
                break
            distance = distances_to_final(config)
            forward = [t for t in config.workflow.transitions_from(pep.state) if not t.needs_comment]
            transition = min(forward, key=lambda t: distance.get(t.to, 99))
            actor = next(role for role in transition.roles if role in pages)
            facts = facts_for(pep, today)
            missing = engine.unmet_guards(config, transition, facts)
            work = {
                role: [
                    key
                    for key in engine.editable_sections(config, facts, {role})
                    if key not in facts.complete_sections
                ]
                for role in pages
            }
            sections = {key: config.sections[key] for keys in work.values() for key in keys}
            assessing = engine.needs_grade(config, pep.state) and actor is Role.VIRTUAL_SCHOOL
        button = pages[actor].get_by_role("button", name=transition.label, exact=True)
        pages[actor].goto(pep_url)
        if missing and not assessing:
            # Shown, but disabled, with what is missing listed beside it.
            expect(button).to_be_disabled()
            expect(pages[actor].locator(f"#missing-{transition.key}")).to_contain_text(
                "Before you can do this"
            )
            saw_refusal = True
        for role, keys in work.items():
            if keys:
                pages[role].goto(pep_url)
                for key in keys:
                    complete_section(pages[role], key, sections[key], today)
                assert_accessible(pages[role])
        if assessing:
            # Quality assurance happens on its own page: criteria, grade, feedback and outcome.
            # Confirming an outcome with nothing assessed is refused, with the reasons listed.
            vs = pages[actor]
            vs.goto(pep_url.rstrip("/") + "/quality-assurance")
            vs.get_by_role("group", name="What happens to the PEP now").get_by_label(
                transition.label, exact=True
            ).check()
            vs.get_by_role("button", name="Confirm").click()
            expect(vs.locator(".govuk-error-summary")).to_contain_text("Select an overall grade")
            assert_accessible(vs)
            saw_refusal = True
            quality_assure(
                pages[actor], pep_url, criteria=[c.key for c in config.qa.criteria], outcome=transition.label
            )
            continue
        page = pages[actor]
        page.goto(pep_url)
        expect(button).to_be_enabled()
        status_before = page.locator("#pep-status").inner_text()
        button.click()
        expect(page.locator("#pep-actions .govuk-notification-banner--success")).to_contain_text("Done:")
        expect(page.locator("#pep-status")).not_to_have_text(status_before)
        assert_accessible(page)
    else:
        raise AssertionError("the PEP did not reach a final step")
    with app.app_context():
        assert db.session.get(Pep, pep_id).finalised_at is not None
    assert saw_refusal, "a step was refused until its guard was met, at least once"
    for page in pages.values():
        page.context.close()
