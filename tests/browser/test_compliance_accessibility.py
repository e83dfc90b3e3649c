"""The Virtual School's compliance dashboard and a drill-down, over the demo data, in Chromium:
reached from the overview, charts drawn without breaking the page's CSP, and both pages pass axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_the_dashboard_and_a_drill_down_are_accessible(page: Page, live_server: str, tmp_path: Path) -> None:
    errors = watch_console(page)
    sign_in(page, live_server, "virtual.school@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/virtual-school/")
    page.get_by_role("link", name="Compliance dashboard").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance dashboard")
    expect(page.get_by_role("img", name="PEPs by status")).to_be_visible()
    expect(page.locator("#status_by_setting tbody tr").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "compliance.png"), full_page=True)

    figure = page.locator("#status_totals tbody a").first
    expected = figure.inner_text().split(":")[0].strip()
    figure.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PEPs behind the figure")
    expect(page.locator("caption")).to_contain_text(expected)
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "drill-down.png"), full_page=True)
    assert errors == []
