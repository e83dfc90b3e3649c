"""The term dates editor: academic years, the next year, closure days and submission dates, each
changing the draft only when the whole process stays valid."""

from __future__ import annotations

import html

from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import Authority
from tests.integration.process_editor_helpers import draft_document, form_fields, post_form

BASE = "/a/lancashire/admin/process/draft"
PAGE = f"{BASE}/term-dates"
YEAR = f"{PAGE}/2025-26"


def test_the_page_shows_each_year_and_makes_no_draft(admin_client: FlaskClient) -> None:
    page = admin_client.get(PAGE).text
    assert "2025-26" in page and "4 September 2025" in page
    assert "7 December" in page  # Lancashire's autumn submission date
    assert draft_document() is None


def test_changing_a_terms_dates_shows_in_the_hub(admin_client: FlaskClient, lancashire: Authority) -> None:
    live = lancashire.current_config_version_id
    _, page = post_form(admin_client, YEAR, {"autumn_ends": ["18", "12", "2025"]})
    assert "The term dates of 2025-26 changed." in page
    assert "2025-12-18" in page  # the hub's list of changes
    autumn = draft_document()["calendar"]["academic_years"][0]["terms"][0]
    assert autumn["ends"] == "2025-12-18" and autumn["half_term"]["starts"] == "2025-10-27"
    assert db.session.get(Authority, lancashire.id).current_config_version_id == live


def test_a_term_that_ends_before_it_starts_is_refused_with_the_input_kept(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    _, page = post_form(admin_client, YEAR, {"spring_ends": ["1", "1", "2026"]})
    assert "<title>Error:" in page
    assert "calendar.academic_years[0].terms[1]: ends must be on or after starts" in html.unescape(page)
    fields = form_fields(page, YEAR)
    assert fields["spring_ends"] == ["1", "1", "2026"]
    assert draft_document() is None


def test_a_half_term_needs_both_dates_and_dates_must_be_real(admin_client: FlaskClient) -> None:
    _, page = post_form(
        admin_client, YEAR, {"summer_half_term_ends": ["", "", ""], "autumn_starts": ["31", "9", "2025"]}
    )
    assert "Enter when the summer half term ends" in page
    assert "Start of the autumn term must be a real date" in page
    assert draft_document() is None


def test_adding_the_next_year_is_prefilled_one_year_on(admin_client: FlaskClient) -> None:
    shown, page = post_form(admin_client, f"{PAGE}/next-year", {})
    fields = form_fields(shown, f"{PAGE}/next-year")
    # Lancashire's last year is 2027-28, starting Thursday 2 September 2027: 52 weeks on.
    assert fields["autumn_starts"] == ["31", "08", "2028"]
    assert "The academic year 2028-29 added." in page
    years = draft_document()["calendar"]["academic_years"]
    assert years[-1]["year"] == "2028-29" and years[-1]["terms"][0]["starts"] == "2028-08-31"


def test_closure_days_are_added_and_removed(admin_client: FlaskClient) -> None:
    _, page = post_form(admin_client, PAGE, {"closure": ["27", "3", "2026"]}, action=f"{PAGE}/closures")
    assert "27 March 2026 added as a closure day" in page
    assert draft_document()["calendar"]["extra_closures"] == ["2026-03-27"]
    _, page = post_form(admin_client, PAGE, {"closure": ["27", "3", "2026"]}, action=f"{PAGE}/closures")
    assert "That day is already a closure day" in page
    _, page = post_form(admin_client, PAGE, {}, action=f"{PAGE}/closures/2026-03-27/remove")
    assert "27 March 2026 is no longer a closure day" in page
    assert draft_document()["calendar"]["extra_closures"] == []


def test_submission_dates_cannot_go_while_a_deadline_counts_from_them(admin_client: FlaskClient) -> None:
    url = f"{PAGE}/submission-dates"
    _, page = post_form(admin_client, url, {"use": "no"})
    assert "the event never happens: calendar.submission_dates is not set" in page
    assert form_fields(page, url)["use"] == ["no"]
    assert draft_document() is None
    _, page = post_form(admin_client, url, {"autumn_day": "10", "autumn_month": "12"})
    assert "The submission dates changed." in page
    assert draft_document()["calendar"]["submission_dates"]["autumn"] == "12-10"
    _, page = post_form(admin_client, url, {"spring_day": "30", "spring_month": "2"})
    assert "The spring submission date must be a real day of the year" in page


def test_a_stale_page_is_refused(admin_client: FlaskClient) -> None:
    stale = admin_client.get(YEAR).text
    post_form(admin_client, YEAR, {"autumn_ends": ["18", "12", "2025"]})
    data = form_fields(stale, YEAR)
    data["autumn_ends"] = ["17", "12", "2025"]
    page = admin_client.post(YEAR, data=data).text
    assert "Someone else changed the draft" in page
    assert draft_document()["calendar"]["academic_years"][0]["terms"][0]["ends"] == "2025-12-18"
