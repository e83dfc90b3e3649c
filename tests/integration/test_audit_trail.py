"""The authority administrator's audit trail: only their authority's events, newest first, in
plain words; every filter; date errors in GOV.UK style; exports equal to the filtered page and
themselves audited; and a page cost that does not grow with the trail."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import insert, select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, Authority
from portal.services.authorities import sync_from_files
from tests.conftest import empty_database
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in
from tests.integration.test_compliance import read_tables
from tests.queries import count_queries

CWAC = "/a/cheshire-west-and-chester"
TRAIL = f"{CWAC}/admin/audit"


def at(day: str, time: str = "12:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}+00:00")


def event(when: dt.datetime, action: str, authority, actor=None, subject=None, **details) -> AuditEvent:
    """An event as ``audit.record`` writes it, at a chosen time."""
    made = AuditEvent(
        occurred_at=when,
        action=action,
        actor_id=actor.id if actor else None,
        authority_id=authority.id,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        details=details,
    )
    db.session.add(made)
    db.session.commit()
    return made


@pytest.fixture
def world(authorities: dict) -> dict:
    """Cheshire West's administrator, four known events of theirs, and Lancashire's own events."""
    cwac, lancs = authorities["cheshire-west-and-chester"], authorities["lancashire"]
    school = make_setting("Dee Valley High")
    admin = make_user("Ada Admin", email="ada@cwac.example", roles=[(Role.AUTHORITY_ADMIN, cwac)])
    sam = make_user("Sam Social", email="sam@cwac.example", roles=[(Role.SOCIAL_WORKER, cwac)])
    vera = make_user("Vera School", email="vera@cwac.example", roles=[(Role.VIRTUAL_SCHOOL, cwac)])
    child = make_child(cwac, "Riley", social_worker=sam, setting=school)
    pep = make_pep(child, setting=school, state="with_setting")
    other_pep = make_pep(make_child(cwac, "Robin", setting=school), setting=school)
    lana = make_user("Lana Lancs", email="lana@lancs.example", roles=[(Role.SOCIAL_WORKER, lancs)])
    foreign = make_pep(make_child(lancs, "Zebedee", social_worker=lana, setting=school), setting=school)
    event(at("2026-10-01", "10:00"), "pep.viewed", cwac, sam, pep)
    # 23:30 UTC on 15 October is 12:30am on 16 October in England (British Summer Time).
    event(at("2026-10-15", "23:30"), "pep.graded", cwac, vera, pep, grade="green")
    event(at("2026-11-02", "09:00"), "pep.next_not_started", cwac, None, other_pep)
    event(at("2026-11-20"), "child.viewed", cwac, sam, child)
    event(at("2026-11-21"), "pp_plus.decided", lancs, lana, foreign)
    event(at("2026-10-01", "10:00"), "pep.viewed", lancs, lana, foreign)
    return {
        "admin": admin,
        "sam": sam,
        "vera": vera,
        "lana": lana,
        "child": child,
        "pep": pep,
        "other_pep": other_pep,
    }


def admin_client(app: Flask, email: str = "ada@cwac.example") -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def rows_of(html: str) -> list[list[str]]:
    """The trail's rows as shown: when, who, what, about, details."""
    return read_tables(html).tables["audit-trail"][1:]


def column(html: str, index: int) -> list[str]:
    return [row[index] for row in rows_of(html)]


def test_the_trail_lists_the_authority_events_newest_first_in_plain_words(app: Flask, world: dict) -> None:
    page = admin_client(app).get(TRAIL)
    assert page.status_code == 200
    pep, child, other = world["pep"], world["child"], world["other_pep"]
    who = {"sam": "Sam Social sam@cwac.example", "vera": "Vera School vera@cwac.example"}
    assert rows_of(page.text) == [
        ["20 November 2026 at 12:00pm", who["sam"], "Viewed a child's record", f"Child {child.id}", ""],
        ["2 November 2026 at 9:00am", "System", "Next PEP not started automatically", f"PEP {other.id}", ""],
        [
            "16 October 2026 at 12:30am",
            who["vera"],
            "Graded a PEP (quality assurance)",
            f"PEP {pep.id}",
            "grade: green",
        ],
        ["1 October 2026 at 11:00am", who["sam"], "Viewed a PEP", f"PEP {pep.id}", ""],
    ]
    links = read_tables(page.text).links["audit-trail"][1:]
    assert links[0][3] == f"{CWAC}/children/{child.id}"
    assert links[3][3] == f"{CWAC}/peps/{pep.id}"
    assert "4 events" in page.text


def test_another_authority_events_never_appear(app: Flask, world: dict, authorities: dict) -> None:
    client = admin_client(app)
    for query in (
        "",
        "?person=lana",
        "?action=pp_plus.decided",
        "?subject_type=Pep",
        "?from-day=1&from-month=1&from-year=2020",
    ):
        page = client.get(TRAIL + query)
        assert "Lana" not in page.text and "lana@" not in page.text
        assert "Sam Social" in page.text or "No events match these filters." in page.text
    # Lancashire's only action is not offered as a filter either.
    assert "pp_plus.decided" not in client.get(TRAIL).text
    exported = client.get(f"{TRAIL}/export.csv").data.decode("utf-8-sig")
    assert "Lana" not in exported and len(list(csv.reader(io.StringIO(exported)))) == 5
    # Lancashire's administrator cannot open Cheshire West's trail.
    make_user(
        "Lee Admin", email="lee@lancs.example", roles=[(Role.AUTHORITY_ADMIN, authorities["lancashire"])]
    )
    assert admin_client(app, "lee@lancs.example").get(TRAIL).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Dates are days in England: the 12:30am grading is on 16 October, not the 15th.
        ("from-day=16&from-month=10&from-year=2026", {"child", "system", "graded"}),
        ("to-day=15&to-month=10&to-year=2026", {"viewed"}),
        ("from-day=1&from-month=11&from-year=2026&to-day=2&to-month=11&to-year=2026", {"system"}),
        ("person=SAM", {"viewed", "child"}),
        ("person=vera%40cwac", {"graded"}),
        ("action=child.viewed", {"child"}),
        ("subject_type=Child", {"child"}),
        ("subject_type=Pep&subject_id={pep}", {"viewed", "graded"}),
        ("subject_type=Pep&subject_id={other}", {"system"}),
        ("person=nobody", set()),
    ],
)
def test_each_filter_narrows_the_trail(app: Flask, world: dict, query: str, expected: set[str]) -> None:
    labels = {
        "viewed": "Viewed a PEP",
        "graded": "Graded a PEP (quality assurance)",
        "system": "Next PEP not started automatically",
        "child": "Viewed a child's record",
    }
    page = admin_client(app).get(f"{TRAIL}?" + query.format(pep=world["pep"].id, other=world["other_pep"].id))
    assert page.status_code == 200
    if expected:
        assert sorted(column(page.text, 2)) == sorted(labels[key] for key in expected)
        assert "matching the filters" in page.text
    else:
        assert "No events match these filters." in page.text


def test_the_filters_are_shown_back_and_offer_the_actions_that_exist(app: Flask, world: dict) -> None:
    page = admin_client(app).get(
        f"{TRAIL}?from-day=16&from-month=10&from-year=2026&person=sam&action=child.viewed"
    )
    assert 'name="from-day" type="text" value="16"' in page.text or 'value="16"' in page.text
    assert 'value="sam"' in page.text
    assert '<option value="child.viewed" selected>' in page.text
    for label in ("Viewed a PEP", "Graded a PEP (quality assurance)", "Next PEP not started automatically"):
        assert f">{label}</option>" in page.text


@pytest.mark.parametrize(
    ("query", "message", "anchor"),
    [
        ("from-day=31&from-month=2&from-year=2026", "Date from must be a real date", "from-day"),
        ("to-day=1&to-month=13&to-year=2026", "Date to must be a real date", "to-day"),
        ("from-day=1&from-month=2&from-year=26", "Date from must be a real date", "from-day"),
        ("to-day=1&to-month=2", "Date to must include a year", "to-year"),
        (
            "from-day=2&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026",
            "Date from must be the same as or before date to",
            "from-day",
        ),
        ("subject_id=PEP12", "Subject number must be a whole number, like 123", "subject_id"),
    ],
)
def test_invalid_filters_are_explained_in_an_error_summary(
    app: Flask, world: dict, query: str, message: str, anchor: str
) -> None:
    client = admin_client(app)
    page = client.get(f"{TRAIL}?{query}")
    assert page.status_code == 400
    assert "<title>Error: Audit trail" in page.text
    assert "There is a problem" in page.text
    assert f'href="#{anchor}">{message}</a>' in page.text
    assert "Correct the filters to see the audit trail." in page.text and "audit-trail" not in page.text
    assert client.get(f"{TRAIL}/export.csv?{query}").status_code == 400


def test_paging_keeps_the_filters(app: Flask, world: dict, authorities: dict) -> None:
    cwac = authorities["cheshire-west-and-chester"]
    for minute in range(30):
        event(
            at("2026-12-01", f"10:{minute:02d}"),
            "pep.section_saved",
            cwac,
            world["vera"],
            world["pep"],
            section="targets",
        )
    client = admin_client(app)
    first = client.get(f"{TRAIL}?action=pep.section_saved&person=vera")
    assert "Showing 1 to 25 of 30 events" in first.text
    assert "page=2" in first.text and "action=pep.section_saved" in first.text
    second = client.get(f"{TRAIL}?action=pep.section_saved&person=vera&page=2")
    assert "Showing 26 to 30 of 30 events" in second.text
    assert set(column(second.text, 2)) == {"Saved a PEP section"}
    assert column(second.text, 0)[-1] == "1 December 2026 at 10:00am"


def test_a_pep_view_shows_in_the_trail_with_the_viewer(app: Flask, world: dict) -> None:
    pep = world["pep"]
    social_worker = app.test_client()
    sign_in(social_worker, "sam@cwac.example")
    assert social_worker.get(f"{CWAC}/peps/{pep.id}").status_code == 200
    assert social_worker.get(f"{CWAC}/peps/{pep.id}/sections/attendance/edit").status_code in (200, 403)
    newest = rows_of(admin_client(app).get(f"{TRAIL}?subject_type=Pep&subject_id={pep.id}").text)
    assert newest[0][1:4] == ["Sam Social sam@cwac.example", "Viewed a PEP", f"PEP {pep.id}"]


def test_the_quality_assurance_page_is_recorded_as_a_view(app: Flask, world: dict) -> None:
    vera = app.test_client()
    sign_in(vera, "vera@cwac.example")
    assert vera.get(f"{CWAC}/peps/{world['pep'].id}/quality-assurance").status_code == 200
    recorded = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pep.viewed", AuditEvent.actor_id == world["vera"].id)
    ).all()
    assert [e.details for e in recorded] == [{"page": "quality_assurance"}]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_holds_the_filtered_rows_and_is_itself_audited(
    app: Flask, world: dict, authorities: dict, file_format: str
) -> None:
    cwac = authorities["cheshire-west-and-chester"]
    sly = make_user("=HYPERLINK(1)", email="sly@cwac.example", roles=[(Role.SOCIAL_WORKER, cwac)])
    event(at("2026-11-25"), "pep.viewed", cwac, sly, world["pep"])
    client = admin_client(app)
    query = "?from-day=1&from-month=10&from-year=2026&subject_type=Pep"
    page = client.get(TRAIL + query)
    assert "Download these events as" in page.text and "at most the newest 50,000 events" in page.text
    response = client.get(f"{TRAIL}/export.{file_format}{query}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    records = (read_csv if file_format == "csv" else read_xlsx)(response.data)
    assert records[0] == ["When (UK time)", "Who", "Email", "What", "About", "Details"]
    shown = [row[1:] for row in rows_of(page.text)]
    # The page shows who and their e-mail in one cell; an export has a column for each.
    exported = [
        [f"{who.removeprefix(chr(39))} {email}".strip(), *rest] for _, who, email, *rest in records[1:]
    ]
    assert exported == shown and len(exported) == 4
    # Names are people's text: a would-be formula is written as text.
    assert records[1][1] == "'=HYPERLINK(1)" and records[1][0] == "2026-11-25 12:00:00"
    assert records[3][0] == "2026-10-16 00:30:00"

    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.exported")).all()
    assert (
        len(audited) == 1 and audited[0].authority_id == cwac.id and audited[0].actor_id == world["admin"].id
    )
    assert audited[0].details == {
        "format": file_format,
        "rows": 4,
        "filter_from": "2026-10-01",
        "filter_subject_type": "Pep",
    }
    newest = rows_of(client.get(f"{TRAIL}?action=audit.exported").text)[0]
    assert newest[1:3] == ["Ada Admin ada@cwac.example", "Exported the audit trail"]


def test_an_unknown_format_or_action_code_does_not_break_anything(
    app: Flask, world: dict, authorities: dict
) -> None:
    event(at("2026-12-02"), "settings.csv_imported", authorities["cheshire-west-and-chester"], world["admin"])
    client = admin_client(app)
    assert client.get(f"{TRAIL}/export.pdf").status_code == 404
    assert rows_of(client.get(TRAIL).text)[0][2:4] == ["Settings csv imported", "Nothing in particular"]


def test_people_settings_and_process_versions_link_to_their_pages(
    app: Flask, world: dict, authorities: dict
) -> None:
    cwac = authorities["cheshire-west-and-chester"]
    version = cwac.current_config_version
    school = make_setting("Linked School")
    event(
        at("2026-12-03", "09:00"),
        "people.role_given",
        cwac,
        world["admin"],
        world["sam"],
        role="social_worker",
    )
    event(at("2026-12-03", "10:00"), "setting.updated", cwac, world["admin"], school)
    event(
        at("2026-12-03", "11:00"), "process.published", cwac, world["admin"], version, version=version.version
    )
    page = admin_client(app).get(f"{TRAIL}?from-day=3&from-month=12&from-year=2026")
    rows, links = rows_of(page.text), read_tables(page.text).links["audit-trail"][1:]
    assert [row[2:4] for row in rows] == [
        ["Published a new process version", f"Process version {version.version}"],
        ["Changed an education setting", f"Education setting {school.id}"],
        ["Gave someone a role", f"User {world['sam'].id}"],
    ]
    assert [link[3] for link in links] == [
        f"{CWAC}/admin/process/versions/{version.version}",
        f"{CWAC}/admin/settings/{school.id}",
        f"{CWAC}/admin/people/{world['sam'].id}",
    ]


def test_an_empty_trail_says_so(app: Flask, authorities: dict) -> None:
    make_user(
        "Ada Admin",
        email="ada@cwac.example",
        roles=[(Role.AUTHORITY_ADMIN, authorities["cheshire-west-and-chester"])],
    )
    page = admin_client(app).get(TRAIL)
    name = authorities["cheshire-west-and-chester"].name
    assert f"Nothing has been recorded for {name} yet." in page.text


def trail_of(count: int, authority, actors: list, subjects: list) -> None:
    """``count`` events spread over actors, actions and subjects, inserted in bulk."""
    actions = ["pep.viewed", "pep.section_saved", "child.viewed", "pep.transition", "pep.next_not_started"]
    db.session.execute(
        insert(AuditEvent),
        [
            {
                "occurred_at": at("2026-09-01") + dt.timedelta(minutes=n),
                "action": actions[n % len(actions)],
                "actor_id": None if n % 7 == 0 else actors[n % len(actors)].id,
                "authority_id": authority.id,
                "subject_type": "Pep",
                "subject_id": subjects[n % len(subjects)].id,
                "details": {"section": "targets"},
            }
            for n in range(count)
        ],
    )
    db.session.commit()


@pytest.mark.parametrize(
    "query", ["", "?person=worker&action=pep.viewed&from-day=1&from-month=9&from-year=2026"]
)
def test_the_trail_costs_the_same_queries_for_20_and_2000_events(app: Flask, query: str) -> None:
    counts = {}
    for size in (20, 2000):
        empty_database()
        sync_from_files(app.extensions["authority_files"])
        cwac = db.session.scalar(select(Authority).where(Authority.slug == "cheshire-west-and-chester"))
        make_user("Ada Admin", email="ada@cwac.example", roles=[(Role.AUTHORITY_ADMIN, cwac)])
        actors = [make_user(f"Worker {n}", roles=[(Role.SOCIAL_WORKER, cwac)]) for n in range(5)]
        school = make_setting("Scale School")
        peps = [make_pep(make_child(cwac, f"Child{n}", setting=school), setting=school) for n in range(5)]
        trail_of(size, cwac, actors, peps)
        client = admin_client(app)
        with count_queries(db.engine) as statements:
            response = client.get(TRAIL + query)
        assert response.status_code == 200
        assert 0 < len(rows_of(response.text)) <= 25
        counts[size] = len(statements)
    assert counts[20] == counts[2000], counts
