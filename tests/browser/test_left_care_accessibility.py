"""A child's record in Chromium, over the demo data: the social worker records that the child left
care; the page passes axe as shown, with the form's error, and with the leaving-care notice."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from portal import clock
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")


def fill_left_care(page: Page, day: dt.date) -> None:
    page.locator("#left_care_on-day").fill(str(day.day))
    page.locator("#left_care_on-month").fill(str(day.month))
    page.locator("#left_care_on-year").fill(str(day.year))


def test_the_social_worker_records_that_a_child_left_care(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "social.worker1@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/social-work/caseload")
    page.locator("main table a[href*='/children/']").first.click()
    expect(page.get_by_role("heading", name="The child has left care")).to_be_visible()
    first_name = page.get_by_role("heading", level=1).inner_text().split()[0]
    assert_accessible(page)

    fill_left_care(page, clock.today() + dt.timedelta(days=2))
    page.get_by_label("Adopted").check()
    page.get_by_role("button", name="Record that they left care").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date they left care must be today or in the past"
    )
    assert page.title().startswith("Error: ")
    expect(page.get_by_label("Adopted")).to_be_checked()
    assert_accessible(page)

    fill_left_care(page, clock.today())
    page.get_by_role("button", name="Record that they left care").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{first_name}’s leaving care has been recorded. No new PEPs will be started for them."
    )
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        f"{first_name} left care on {clock.today().day} {clock.today():%B %Y} (Adopted)"
    )
    assert_accessible(page)

    page.goto(f"{live_server}/a/lancashire/social-work/caseload")
    expect(page.locator("main table .govuk-tag", has_text="Left care")).to_have_count(1)
    assert_accessible(page)
