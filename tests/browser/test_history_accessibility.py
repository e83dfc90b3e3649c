"""A PEP's history in Chromium, over the demo data: a designated teacher saves a section twice
through the PEP page, follows "History of this PEP", compares the two versions, and both pages
pass axe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")

SECTION = "education_setting"


def open_section_form(page: Page) -> Locator:
    box = page.locator(f"#section-{SECTION}")
    box.get_by_role("button", name=re.compile(r"^(Start|Change)")).click()
    expect(box.locator("form")).to_be_visible()
    return box


def add_row(box: Locator, rows: int) -> None:
    box.locator('button[value="add-row:previous_settings"]').click()
    expect(box.locator('[name="previous_settings-rows"]')).to_have_value(str(rows))


def save_as_draft(box: Locator) -> None:
    box.get_by_role("button", name="Save as draft").click()
    expect(box.locator("form")).to_have_count(0)


def test_a_teacher_compares_two_versions_of_a_section(page: Page, live_server: str, tmp_path: Path) -> None:
    sign_in(page, live_server, "designated.teacher@riverside.example")
    row = (
        page.locator("tbody tr", has_text="Lancashire County Council")
        .filter(has_text="Your setting's sections")
        .first
    )
    row.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/peps/\d+$"))
    pep_url = page.url

    # Version 1: the date joined, one previous school and time out of education.
    box = open_section_form(page)
    box.locator('[name="date_joined-day"]').fill("3")
    box.locator('[name="date_joined-month"]').fill("9")
    box.locator('[name="date_joined-year"]').fill("2025")
    add_row(box, 1)
    box.locator('[name="previous_settings-0-setting"]').fill("Hill Primary")
    box.locator('[name="previous_settings-0-reason"]').fill("Moved placement")
    box.locator('[name="time_out_of_education"]').fill("She missed two weeks in June while moving")
    save_as_draft(box)

    # Version 2: a reason corrected, a nursery added, the account of time out rewritten.
    box = open_section_form(page)
    box.locator('[name="previous_settings-0-reason"]').fill("Placement moved to Preston")
    add_row(box, 2)
    box.locator('[name="previous_settings-1-setting"]').fill("Oak Nursery")
    box.locator('[name="previous_settings-1-reason"]').fill("Started primary school")
    box.locator('[name="time_out_of_education"]').fill("She missed three weeks in June while moving home")
    save_as_draft(box)
    expect(page.locator(f"#section-{SECTION}")).to_contain_text("Last saved by")

    page.get_by_role("link", name="History of this PEP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of this PEP")
    versions = page.locator(f"#versions-{SECTION} tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("Version 2")
    expect(versions.first).to_contain_text("2 questions changed")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "history.png"), full_page=True)

    versions.first.get_by_role("link", name=re.compile("^Compare with previous")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Compare versions of ‘Education setting and history’"
    )
    expect(page.locator("#change-summary")).to_contain_text(
        "2 questions changed between version 1 and version 2"
    )
    card = page.locator("#question-time_out_of_education")
    expect(card.locator("del")).to_have_text("removed: two (end of removed text)")
    expect(card.locator("ins").first).to_have_text("added: three (end of added text)")
    rows = page.locator("#question-previous_settings table")
    expect(rows.first.locator("caption")).to_have_text("Row 1: changed")
    expect(rows.nth(1).locator("caption")).to_have_text("Row 2: added in version 2")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)

    # The unchanged date is tucked away, and opens.
    page.get_by_text("1 unchanged question").click()
    expect(page.locator("#unchanged-questions")).to_contain_text("3 September 2025")
    assert_accessible(page)

    # Choosing the versions with the form: the same version twice says so.
    page.get_by_label("Compare version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("main")).to_contain_text("You are comparing version 2 with itself")
    page.get_by_label("Compare version").select_option("2")
    page.get_by_label("With version").select_option("1")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be the same as or earlier than")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_role("link", name="Back to the PEP").last.click()
    assert page.url.split("#")[0] == pep_url
