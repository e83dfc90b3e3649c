"""What browser tests do on every page: sign in, fill configured fields, complete sections, scan."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from portal.authorities.forms import FieldConfig, FieldType, MinRows, SectionConfig
from portal.services.demo import DEMO_PASSWORD
from tests.walker import rows_needed, valid_value


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def fill_field(scope: Locator, config: FieldConfig, name: str, value: object) -> None:
    if config.type is FieldType.DATE:
        year, month, day = str(value).split("-")
        scope.locator(f'[name="{name}-day"]').fill(str(int(day)))
        scope.locator(f'[name="{name}-month"]').fill(str(int(month)))
        scope.locator(f'[name="{name}-year"]').fill(year)
    elif config.type is FieldType.YES_NO:
        scope.locator(f'input[name="{name}"][value="{"yes" if value else "no"}"]').check()
    elif config.type is FieldType.CHOICE and len(config.choices) > 6:
        scope.locator(f'select[name="{name}"]').select_option(str(value))
    elif config.type is FieldType.CHOICE:
        scope.locator(f'input[name="{name}"][value="{value}"]').check()
    else:
        scope.locator(f'[name="{name}"]').fill(str(value))


def complete_section(page: Page, key: str, section: SectionConfig, today=None) -> None:
    """Open the section in place (htmx), answer every question validly, save it as complete."""
    box = page.locator(f"#section-{key}")
    box.get_by_role("button", name=re.compile(r"^(Start|Change)")).click()
    expect(page.locator(f"#section-{key} form")).to_be_visible()
    for field in section.fields:
        if field.type is FieldType.ROWS:
            needed = rows_needed(
                [r for r in section.rules if isinstance(r, MinRows) and r.field == field.key]
            )
            existing = int(page.locator(f'#section-{key} [name="{field.key}-rows"]').input_value())
            for index, overrides in enumerate(needed):
                if index >= existing:
                    page.locator(f'#section-{key} button[value="add-row:{field.key}"]').click()
                    expect(page.locator(f'#section-{key} [name="{field.key}-rows"]')).to_have_value(
                        str(index + 1)
                    )
                for column in field.columns:
                    fill_field(
                        page.locator(f"#section-{key}"),
                        column,
                        f"{field.key}-{index}-{column.key}",
                        overrides.get(column.key, valid_value(column)),
                    )
        else:
            fill_field(page.locator(f"#section-{key}"), field, field.key, valid_value(field, today=today))
    page.locator(f"#section-{key}").get_by_role("button", name="Save and mark as complete").click()
    expect(page.locator(f"#section-{key} .govuk-tag").first).to_have_text("Completed")


def quality_assure(
    page: Page,
    pep_url: str,
    *,
    criteria: list[str],
    outcome: str,
    grade: str = "",
    feedback: str = "A clear plan with measurable targets",
    outstanding: tuple[str, ...] = (),
) -> None:
    """From the PEP page, the Virtual School opens the QA page, assesses every criterion at its
    best, gives the grade (the best unless named), writes feedback and takes ``outcome``."""
    page.goto(pep_url)
    page.get_by_role("button", name="Quality assure this PEP").click()
    assert_accessible(page)
    for key in criteria:
        page.locator(f'input[name="criteria-{key}"]').first.check()
    grades = page.locator('input[name="grade"]')
    (page.locator(f'input[name="grade"][value="{grade}"]') if grade else grades.first).check()
    page.get_by_label("Feedback").fill(feedback)
    for title in outstanding:
        page.get_by_role("group", name="Sections to improve").get_by_label(title, exact=True).check()
    page.get_by_role("group", name="What happens to the PEP now").get_by_label(outcome, exact=True).check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
