"""The e-mail reminders page in Chromium: a social worker follows the link under the header,
chooses a weekly digest and sees it saved; axe on the page before and after saving."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")


def test_a_social_worker_chooses_a_weekly_digest(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "social.worker1@lancashire.example")
    page.get_by_role("link", name="E-mail reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail reminders")
    expect(page.get_by_label("Each reminder as it happens")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("One weekly digest (Monday)").check()
    page.get_by_role("button", name="Save").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Your e-mail reminders have been changed")
    expect(banner).to_contain_text("one e-mail each Monday")
    expect(page.get_by_label("One weekly digest (Monday)")).to_be_checked()
    assert_accessible(page)

    # Kept: the page shows the choice again on the next visit, without the banner.
    page.reload()
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)
    expect(page.get_by_label("One weekly digest (Monday)")).to_be_checked()
