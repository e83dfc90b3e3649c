"""The Virtual School decides a demo PEP's PP+ requests in a real browser: the list, a refusal
shown in GOV.UK style, the decisions saved, and the setting's read-only view, each scanned by axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.services.demo_catalogue import SETTINGS
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")


def test_the_virtual_school_decides_pp_plus_requests(page: Page, live_server: str, browser) -> None:
    sign_in(page, live_server, "virtual.school@example-borough.example")
    page.goto(f"{live_server}/a/example-borough/virtual-school/pp-plus")
    expect(page.get_by_role("heading", level=1)).to_have_text("PP+ requests awaiting a decision")
    assert_accessible(page)

    row = page.locator("tbody tr").filter(has_not_text="No setting").first
    setting_name = row.locator("td").nth(2).inner_text()
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name="Decide the requests")).to_be_visible()
    assert_accessible(page)
    pep_url = page.url

    # A reduction without an amount or a reason saves nothing.
    page.get_by_label("Reduce", exact=True).first.check()
    page.get_by_role("button", name="Save decisions").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("alert")).to_contain_text("Enter the amount approved for")
    assert_accessible(page)

    for approve in page.get_by_label(re.compile("Approve £")).all():
        approve.check()
    page.get_by_role("button", name="Save decisions").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("PP+ decisions saved")
    expect(page.get_by_text("Awaiting decision")).to_have_count(0)
    assert_accessible(page)

    # The school reads the decisions; it has no form to change them.
    setting = next(s for s in SETTINGS if s.name == setting_name)
    school = browser.new_page()
    sign_in(school, live_server, f"designated.teacher@{setting.key}.example")
    school.goto(pep_url)
    expect(school.get_by_role("heading", level=1)).to_contain_text("Pupil Premium Plus")
    expect(school.get_by_role("button", name="Save decisions")).to_have_count(0)
    expect(school.get_by_text("Approved", exact=True).first).to_be_visible()
    assert_accessible(school)
