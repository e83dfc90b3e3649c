"""An administrator imports children from a CSV file in a real browser: a file with a bad row shows
the problem and imports nothing; the corrected file imports after confirming, and the new child is
listed. The settings pages too; axe scans every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")

HEADER = "Person ID,Forename,Surname,DOB,CLA Start Date,School URN,Allocated Worker Email\n"
ROW = "LL900123,Florence,Importer,{born},01/09/2025,900001,social.worker1@lancashire.example\n"


def upload(page: Page, live_server: str, content: str) -> None:
    page.goto(f"{live_server}/a/lancashire/admin/imports")
    page.get_by_label("Children").check()
    page.get_by_label("CSV file").set_input_files(
        {"name": "lcs-export.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Upload and preview").click()


def test_an_administrator_imports_children_from_a_csv_file(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "admin@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/admin/imports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from a CSV file")
    assert_accessible(page)

    upload(page, live_server, HEADER + ROW.format(born="31/02/2015"))
    expect(page.get_by_role("alert")).to_contain_text("1 row has a problem")
    expect(page.get_by_text("Row 2: date of birth ‘31/02/2015’ is not a real date")).to_be_visible()
    expect(page.get_by_role("button", name="Import these records")).to_have_count(0)
    assert_accessible(page)

    upload(page, live_server, HEADER + ROW.format(born="28/02/2015"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("To create")
    expect(page.get_by_role("row", name="2 LL900123 Florence Importer Create")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import these records").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Import complete: 1 children created, 0 updated, 0 unchanged"
    )
    expect(page.get_by_role("link", name="Florence Importer")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to imports").click()
    expect(page.get_by_role("table")).to_contain_text("1 created, 0 updated, 0 unchanged")


def test_an_administrator_reads_and_adds_settings(page: Page, live_server: str) -> None:
    sign_in(page, live_server, "admin@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/admin/settings")
    expect(page.get_by_role("link", name="Riverside Academy")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a setting").click()
    page.get_by_label("Name").fill("Riverside Again")
    page.get_by_label("URN (optional)").fill("900001")
    page.get_by_label("Secondary").check()
    page.get_by_role("button", name="Save the setting").click()
    expect(page.get_by_role("alert")).to_contain_text("URN 900001 is already Riverside Academy's")
    assert_accessible(page)
