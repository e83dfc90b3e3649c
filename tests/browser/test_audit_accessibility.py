"""The administrator's audit trail in Chromium, over the demo data: a social worker opens a PEP, the
administrator finds that view by filtering the trail by its action, and the page passes axe, also
when it shows a date error."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")


def test_the_admin_filters_the_trail_by_an_action_and_sees_the_view(
    browser: Browser, page: Page, live_server: str, tmp_path: Path
) -> None:
    social_worker = browser.new_context().new_page()
    sign_in(social_worker, live_server, "social.worker1@lancashire.example")
    social_worker.goto(f"{live_server}/a/lancashire/social-work/caseload")
    social_worker.locator("main table a[href*='/children/']").first.click()
    social_worker.locator("main a[href*='/peps/']").first.click()
    expect(social_worker.get_by_role("heading", level=1)).to_be_visible()
    pep_path = social_worker.url.removeprefix(live_server)
    social_worker.context.close()

    sign_in(page, live_server, "admin@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/admin/")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    assert_accessible(page)

    page.get_by_label("Action").select_option(label="Viewed a PEP")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_label("Action")).to_have_value("pep.viewed")
    rows = page.locator("#audit-trail tbody tr")
    expect(rows.first).to_be_visible()
    expect(rows.first).to_contain_text("Viewed a PEP")
    expect(rows.first.get_by_role("link")).to_have_attribute("href", pep_path)
    assert all(text == "Viewed a PEP" for text in rows.locator("td:nth-child(3)").all_inner_texts())
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "audit-trail.png"), full_page=True)

    page.locator('[name="from-day"]').fill("31")
    page.locator('[name="from-month"]').fill("2")
    page.locator('[name="from-year"]').fill("2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date from must be a real date")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
