"""The termly cycle editor changes the draft: the review lists the change and publishing makes it
the authority's process; the schema's refusals are shown with what was typed, and nothing changes."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from portal.authorities.process import Direction, Offset, Unit
from portal.authorities.schema import Role
from portal.authorities.termly_cycle import WindowEnd
from portal.extensions import db
from portal.models import Authority
from portal.services.authorities import config_for
from tests.factories import make_user, sign_in
from tests.integration.process_editor_helpers import draft_document, form_fields, post_form

BASE = "/a/lancashire/admin/process/draft"
CYCLE = f"{BASE}/termly-cycle"
PUBLISH = f"{BASE}/publish"


def text_of(page: str) -> str:
    """The page's words, as a person reads them (tags gone, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_page_shows_the_cycle_in_the_authoritys_words_and_changes_nothing(
    admin_client: FlaskClient,
) -> None:
    page = admin_client.get(CYCLE).text
    words = text_of(page)
    assert "<title>Termly cycle and PEP window" in page
    for label in ("CLA business support", "Virtual School consultant", "Social worker"):
        assert label in words
    assert "Submission dates are set under Term dates" in words
    assert "No provisional date" in words
    fields = form_fields(page, CYCLE)
    assert fields["window_ends"] == ["submission_date"]
    assert fields["notify"] == ["social_worker", "business_support"]
    assert fields["start_peps"] == ["yes"] and fields["share_previous_pep"] == ["yes"]
    assert fields["meeting_unit"] == [""]
    ids = re.findall(r'\sid="([^"]+)"', page)  # each label and hint belongs to one field
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert draft_document() is None


def test_half_term_and_the_virtual_school_are_reviewed_then_published(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    live = lancashire.current_config_version_id
    _, page = post_form(
        admin_client,
        CYCLE,
        {"window_ends": "half_term", "notify": ["social_worker", "business_support", "virtual_school"]},
    )
    words = text_of(page)
    assert "Termly cycle and PEP window changed. Review your changes, then publish." in words
    assert f'href="{CYCLE}">Termly cycle and PEP window</a>' in page  # the draft's list of editors
    # The draft review lists exactly the two changes, by the names diff.py gives them.
    changes = text_of(page.split('id="changes"', 1)[1].split('id="deadlines"', 1)[0])
    assert "Termly cycle › window ends Changed submission_date half_term" in changes
    assert (
        "Termly cycle › notify Changed social_worker, business_support "
        "social_worker, business_support, virtual_school" in changes
    )
    assert changes.count("Termly cycle") == 2
    assert db.session.get(Authority, lancashire.id).current_config_version_id == live

    _, done = post_form(
        admin_client,
        BASE,
        {"note": "PEPs in the first half of term; the Virtual School hears", "open_peps": "keep"},
        action=PUBLISH,
    )
    assert "Version 2 is published" in done
    db.session.expire_all()
    cycle = config_for(db.session.get(Authority, lancashire.id)).termly_cycle
    assert cycle.window_ends is WindowEnd.HALF_TERM
    assert cycle.notify == [Role.SOCIAL_WORKER, Role.BUSINESS_SUPPORT, Role.VIRTUAL_SCHOOL]
    assert cycle.start_peps and cycle.share_previous_pep and cycle.provisional_meeting is None
    # The published cycle is what the page now shows.
    assert form_fields(admin_client.get(CYCLE).text, CYCLE)["window_ends"] == ["half_term"]


def test_a_provisional_meeting_is_counted_after_the_start_of_term(admin_client: FlaskClient) -> None:
    _, page = post_form(
        admin_client,
        CYCLE,
        {
            "meeting_amount": "3",
            "meeting_unit": "school_weeks",
            "start_peps": "no",
            "share_previous_pep": "no",
        },
    )
    assert "Termly cycle and PEP window changed." in page
    cycle = draft_document()["termly_cycle"]
    assert Offset.model_validate(cycle["provisional_meeting"]) == Offset(
        amount=3, unit=Unit.SCHOOL_WEEKS, direction=Direction.AFTER
    )
    assert cycle["start_peps"] is False and cycle["share_previous_pep"] is False
    shown = form_fields(admin_client.get(CYCLE).text, CYCLE)
    assert shown["meeting_amount"] == ["3"] and shown["meeting_unit"] == ["school_weeks"]
    # Taking it away again: blank and "No provisional date".
    post_form(admin_client, CYCLE, {"meeting_amount": "", "meeting_unit": ""})
    assert draft_document()["termly_cycle"]["provisional_meeting"] is None


def test_an_unchanged_page_kept_changes_nothing_in_the_review(admin_client: FlaskClient) -> None:
    _, page = post_form(admin_client, CYCLE, {})
    assert "Termly cycle and PEP window changed." in page
    changes = text_of(page.split('id="changes"', 1)[1].split('id="deadlines"', 1)[0])
    assert "No differences." in changes


def test_half_a_provisional_meeting_or_too_long_a_one_is_refused_with_what_was_typed(
    admin_client: FlaskClient,
) -> None:
    _, page = post_form(admin_client, CYCLE, {"meeting_amount": "3", "meeting_unit": ""})
    assert "<title>Error:" in page
    assert "Select what the provisional meeting date is counted in" in text_of(page)
    assert form_fields(page, CYCLE)["meeting_amount"] == ["3"]
    _, page = post_form(admin_client, CYCLE, {"meeting_amount": "", "meeting_unit": "school_days"})
    assert "Enter how long after the start of term the provisional meeting is" in text_of(page)
    _, page = post_form(
        admin_client,
        CYCLE,
        {"meeting_amount": "401", "meeting_unit": "school_days", "window_ends": "term_end"},
    )
    words = text_of(page)
    assert "<title>Error:" in page and "This change cannot be made" in words
    assert "termly_cycle.provisional_meeting.amount: Input should be less than or equal to 400" in words
    fields = form_fields(page, CYCLE)
    assert fields["meeting_amount"] == ["401"] and fields["window_ends"] == ["term_end"]
    assert draft_document() is None


def test_the_submission_date_is_refused_where_there_are_no_submission_dates(
    app: Flask, authorities: dict[str, Authority]
) -> None:
    bradford = authorities["bradford"]
    live = bradford.current_config_version_id
    admin = make_user("Brad Admin", email="admin@bradford.example", roles=[(Role.AUTHORITY_ADMIN, bradford)])
    client = app.test_client()
    sign_in(client, admin.email)
    url = "/a/bradford/admin/process/draft/termly-cycle"
    _, page = post_form(client, url, {"window_ends": "submission_date", "notify": ["virtual_school"]})
    words = text_of(page)
    assert "<title>Error:" in page
    assert (
        "This change cannot be made Nothing has been changed. Put right each problem below and try again. "
        "termly_cycle.window_ends: calendar.submission_dates is not set" in words
    )
    fields = form_fields(page, url)
    assert fields["window_ends"] == ["submission_date"] and fields["notify"] == ["virtual_school"]
    assert draft_document() is None
    db.session.expire_all()
    assert db.session.get(Authority, bradford.id).current_config_version_id == live
    assert config_for(db.session.get(Authority, bradford.id)).termly_cycle.window_ends is WindowEnd.TERM_END


def test_a_stale_page_is_refused_and_keeps_what_was_typed(admin_client: FlaskClient) -> None:
    stale = admin_client.get(CYCLE).text
    post_form(admin_client, CYCLE, {"window_ends": "term_end"})
    data = {**form_fields(stale, CYCLE), "window_ends": ["half_term"], "meeting_amount": ["2"]}
    data["meeting_unit"] = ["school_weeks"]
    refused = admin_client.post(CYCLE, data=data).text
    assert "<title>Error:" in refused
    assert "Someone else changed the draft while you were editing." in text_of(refused)
    fields = form_fields(refused, CYCLE)
    assert fields["window_ends"] == ["half_term"] and fields["meeting_amount"] == ["2"]
    assert fields["meeting_unit"] == ["school_weeks"]
    cycle = draft_document()["termly_cycle"]
    assert cycle["window_ends"] == "term_end" and cycle["provisional_meeting"] is None
