"""Every role signs in in a real browser and lands on its page; each page passes an axe scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from portal.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.usefixtures("demo_world")

ROLE_LOGINS = [
    ("designated.teacher@riverside.example", "/school/", "Children at my setting"),
    ("social.worker1@lancashire.example", "/a/lancashire/social-work/caseload", "My caseload"),
    (
        "business.support@cheshire-west-and-chester.example",
        "/a/cheshire-west-and-chester/business-support/",
        "PEPs waiting for",
    ),
    ("virtual.school@bradford.example", "/a/bradford/virtual-school/", "Virtual School overview"),
    ("admin@example-borough.example", "/a/example-borough/admin/", "Administration"),
    (
        "health.visitor@cheshire-west-and-chester.example",
        "/a/cheshire-west-and-chester/education-contact/",
        "Children without a setting",
    ),
]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def watch_console(page: Page) -> list[str]:
    """Collect browser errors, such as a script the Content-Security-Policy blocked."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_sign_in_page_is_accessible(page: Page, live_server: str) -> None:
    errors = watch_console(page)
    page.goto(f"{live_server}/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to PEP Portal")
    assert_accessible(page)
    assert errors == []


def test_the_accessibility_statement_is_accessible(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for PEP Portal")
    assert_accessible(page)


def test_a_failed_sign_in_is_accessible_and_focuses_the_error_summary(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("someone@nowhere.example")
    page.get_by_label("Password", exact=True).fill("not the right password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JavaScript ran and moved focus
    assert page.title().startswith("Error: ")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("email", "path", "heading"), ROLE_LOGINS, ids=[r[0].split("@")[0] for r in ROLE_LOGINS]
)
def test_each_role_lands_on_its_page(
    page: Page, live_server: str, email: str, path: str, heading: str, tmp_path: Path
) -> None:
    errors = watch_console(page)
    sign_in(page, live_server, email)
    page.wait_for_url(f"{live_server}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.locator(".portal-account-bar")).to_contain_text("Signed in as")
    assert page.locator("table.govuk-table").count() >= 1, "the landing page shows demo data"
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "landing.png"), full_page=True)
    assert errors == []


def test_signing_out_in_the_browser(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "virtual.school@lancashire.example")
    page.wait_for_url(f"{live_server}/a/lancashire/virtual-school/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server}/sign-in")
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto(f"{live_server}/a/lancashire/virtual-school/")
    page.wait_for_url(f"{live_server}/sign-in?next=/a/lancashire/virtual-school/")
    expect(page.get_by_text("Sign in to continue")).to_be_visible()


def test_a_childs_record_with_its_deadlines_is_accessible(page: Page, live_server: str) -> None:
    errors = watch_console(page)
    sign_in(page, live_server, "social.worker1@lancashire.example")
    page.wait_for_url(f"{live_server}/a/lancashire/social-work/caseload")
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="Personal Education Plans")).to_be_visible()
    assert_accessible(page)
    assert errors == []
