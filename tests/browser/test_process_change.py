"""Lancashire's administrator changes a deadline rule and a section owner in the portal, previews
and publishes them; a PEP started afterwards follows the new rule while a PEP already open keeps
the old one. Every page is scanned by axe."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Authority, Pep, PepDeadline
from portal.services.authorities import config_for
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")
SECTION = "education_setting"


def open_pep_with_a_meeting(app: Flask) -> int:
    """A demo Lancashire PEP in progress whose setting deadline is counted from its meeting."""
    with app.app_context():
        return db.session.scalar(
            select(Pep.id)
            .join(PepDeadline, PepDeadline.pep_id == Pep.id)
            .join(Authority, Authority.id == Pep.authority_id)
            .where(
                Authority.slug == "lancashire",
                Pep.finalised_at.is_(None),
                Pep.meeting_date.is_not(None),
                PepDeadline.rule_key == "setting_completes",
            )
            .limit(1)
        )


def test_a_published_change_applies_to_new_peps_and_open_peps_keep_theirs(
    app: Flask, page: Page, live_server: str, browser
) -> None:
    with app.app_context():
        config = config_for(db.session.scalar(select(Authority).where(Authority.slug == "lancashire")))
        teacher, social_worker = config.role_label("designated_teacher"), config.role_label("social_worker")
        section_title = config.sections[SECTION].title
    open_pep = open_pep_with_a_meeting(app)
    assert open_pep is not None

    sign_in(page, live_server, "admin@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/admin/process")
    expect(page.get_by_role("heading", level=1)).to_have_text("Process and versions")
    assert_accessible(page)
    page.get_by_role("button", name="Change the process").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the process")
    assert_accessible(page)

    # The deadline: settings get 15 working days after the meeting instead of 10.
    page.goto(f"{live_server}/a/lancashire/admin/process/draft/deadlines")
    assert_accessible(page)
    page.goto(f"{live_server}/a/lancashire/admin/process/draft/deadlines/setting_completes")
    assert_accessible(page)
    amount = page.locator("[name=offset_amount]")
    amount.fill("500")
    page.get_by_role("button", name="Keep this change").click()
    expect(page.get_by_role("alert")).to_be_visible()  # refused: over the schema's 400
    assert_accessible(page)
    page.locator("[name=offset_amount]").fill("15")
    page.get_by_role("button", name="Keep this change").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "PEP completed by the setting"
    )

    # The section owner: the social worker completes the education setting and history.
    page.goto(f"{live_server}/a/lancashire/admin/process/draft/sections/{SECTION}")
    assert_accessible(page)
    page.locator("select[name=owner]").select_option("social_worker")
    page.get_by_role("button", name="Keep this change").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(section_title)

    # The review shows both changes and the sample child's new date, then publish.
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the process")
    changes = page.get_by_role("table", name="What publishing would change")
    expect(changes).to_contain_text("PEP completed by the setting")
    expect(changes).to_contain_text(section_title)
    assert_accessible(page)
    page.get_by_label("What changed and why").fill(
        "Settings get 15 working days; social workers own setting history"
    )
    page.get_by_label("Keep open PEPs on the version they started under").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is published")
    assert_accessible(page)

    # The open PEP keeps version 1's rule and owner.
    page.goto(f"{live_server}/a/lancashire/peps/{open_pep}")
    expect(page.get_by_text("10 working days after the PEP meeting")).to_be_visible()
    expect(page.locator(".govuk-task-list__item", has_text=section_title)).to_contain_text(teacher)

    # A child who becomes looked after now gets a PEP under the new version.
    social = browser.new_page()
    sign_in(social, live_server, "social.worker1@lancashire.example")
    social.goto(f"{live_server}/a/lancashire/social-work/children/new")
    social.get_by_label("First name").fill("Quinn")
    social.get_by_label("Last name").fill("Newcase")
    for legend, (day, month, year) in (
        ("Date of birth", ("3", "4", "2015")),
        ("Date they became looked after", ("16", "11", "2026")),
    ):
        group = social.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    social.get_by_label("No", exact=True).check()
    social.get_by_role("button", name="Record and start the initial PEP").click()
    expect(social.get_by_role("heading", level=1)).to_contain_text("Quinn")
    expect(social.get_by_text("15 working days after the PEP meeting")).to_be_visible()
    expect(social.locator(".govuk-task-list__item", has_text=section_title)).to_contain_text(social_worker)
    assert_accessible(social)


def test_the_termly_cycle_editor_and_its_errors_are_accessible(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "admin@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/admin/process/draft/termly-cycle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Termly cycle and PEP window")
    assert_accessible(page)
    # A number with no unit: the form's own error.
    page.get_by_label("How long after the start of term").fill("3")
    page.get_by_role("button", name="Keep this change").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Select what the provisional meeting date is counted in"
    )
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    # Over the schema's 400: the schema's message, and nothing is kept.
    page.get_by_label("How long after the start of term").fill("401")
    page.get_by_label("Counted in").select_option("school_days")
    page.get_by_role("button", name="Keep this change").click()
    expect(page.get_by_role("alert")).to_contain_text("This change cannot be made")
    expect(page.get_by_role("alert")).to_contain_text("less than or equal to 400")
    expect(page.get_by_label("How long after the start of term")).to_have_value("401")
    assert_accessible(page)
