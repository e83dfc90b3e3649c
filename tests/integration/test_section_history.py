"""A PEP's history through HTTP: every saved version of a section with who saved it and when, the
steps it took, and two versions compared question by question, row by row and word by word."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.authorities.schema import Role
from portal.extensions import db
from portal.models import AuditEvent, Authority, Pep, PepSectionEntry, PepStateChange, User
from portal.services.sections import save_section
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in
from tests.queries import count_queries

SECTION = "education_setting"
TODAY = dt.date(2026, 10, 1)

FIRST = {
    "date_joined": "2025-09-03",
    "previous_settings": [
        {"setting": "Hill Primary", "left_on": "2025-07-18", "reason": "Moved placement"},
    ],
    "time_out_of_education": "She missed two weeks in June while moving",
}
SECOND = {**FIRST, "time_out_of_education": "She missed two weeks in June while moving home"}
THIRD = {
    "date_joined": "2025-09-03",
    "previous_settings": [
        {"setting": "Hill Primary", "left_on": "2025-07-18", "reason": "Placement moved to Preston"},
        {"setting": "Oak Nursery", "left_on": "2021-07-16", "reason": "Started primary school"},
    ],
    "time_out_of_education": "She missed three weeks in June while moving home",
}
#: When each version was saved, in UTC: the page shows London time (BST in October, GMT in November).
SAVED_AT = [
    dt.datetime(2026, 10, 5, 8, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 19, 13, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 2, 14, 5, tzinfo=dt.UTC),
]


# --- Reading pages -----------------------------------------------------------------------------


INLINE = {"a", "abbr", "b", "del", "em", "i", "ins", "label", "span", "strong"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self, *, hidden: bool = True) -> str:
        """The text a reader sees (``hidden=False``) or hears (with visually hidden text)."""
        return " ".join(self._raw(hidden).split())

    def _raw(self, hidden: bool) -> str:
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif not hidden and "govuk-visually-hidden" in child.attrs.get("class", ""):
                continue
            elif child.tag not in INLINE:
                parts.append(f" {child._raw(hidden)} ")  # a line break or a block of its own
            else:
                parts.append(child._raw(hidden))
        return "".join(parts)

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if (tag is None or child.tag == tag) and all(
                    child.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
                ):
                    found.append(child)
                found += child.find_all(tag, **attrs)
        return found

    def by_id(self, element_id: str) -> Element:
        matches = self.find_all(id=element_id)
        assert matches, f"no element with id {element_id!r}"
        return matches[0]

    def rows(self) -> list[list[str]]:
        """A table's body rows as visible cell texts."""
        return [
            [cell.text(hidden=False) for cell in row.children if isinstance(cell, Element)]
            for body in self.find_all("tbody")
            for row in body.find_all("tr")
        ]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def page_of(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


# --- The world ---------------------------------------------------------------------------------


@pytest.fixture
def world(authorities: dict[str, Authority]) -> dict:
    lancashire = authorities["lancashire"]
    school = make_setting("Riverbank Academy")
    teachers = [
        make_user(
            name,
            email=f"{name.split()[0].lower()}@riverbank.example",
            roles=[(Role.DESIGNATED_TEACHER, school)],
        )
        for name in ("Dana Reid", "Eli Moss", "Fay Hart")
    ]
    social_worker = make_user(
        "Sam Worker", email="sam@lancs.example", roles=[(Role.SOCIAL_WORKER, lancashire)]
    )
    other_school = make_setting("Elsewhere High")
    stranger = make_user(
        "Otto Other", email="otto@elsewhere.example", roles=[(Role.DESIGNATED_TEACHER, other_school)]
    )
    child = make_child(lancashire, "Olive", social_worker=social_worker, setting=school)
    pep = make_pep(child, setting=school, state="delegated_to_setting")
    return {"pep": pep, "teachers": teachers, "social_worker": social_worker, "stranger": stranger}


def save_versions(
    pep: Pep, versions: list[tuple[User, dict]], times: list[dt.datetime] | None = None
) -> None:
    """Each save through the service that the section form uses, then dated as the test needs."""
    for number, (user, answers) in enumerate(versions, start=1):
        entry = save_section(user, pep, SECTION, answers, base_version=number - 1, today=TODAY)
        if times:
            entry.saved_at = times[number - 1]
            db.session.commit()


@pytest.fixture
def saved(world: dict) -> dict:
    dana, eli, fay = world["teachers"]
    save_versions(world["pep"], [(dana, FIRST), (eli, SECOND), (fay, THIRD)], SAVED_AT)
    return world


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def base_url(pep: Pep) -> str:
    return f"/a/lancashire/peps/{pep.id}"


# --- The history -------------------------------------------------------------------------------


def test_the_history_lists_every_version_newest_first_with_who_and_when(app: Flask, saved: dict) -> None:
    pep = saved["pep"]
    client = signed_in(app, saved["social_worker"])
    response = client.get(f"{base_url(pep)}/history")
    assert response.status_code == 200
    page = page_of(response.text)
    rows = page.by_id(f"versions-{SECTION}").rows()
    assert [row[:3] for row in rows] == [
        ["Version 3 (latest)", "Fay Hart Designated teacher", "2 November 2026 at 2:05pm"],
        ["Version 2", "Eli Moss Designated teacher", "19 October 2026 at 2:00pm"],
        ["Version 1", "Dana Reid Designated teacher", "5 October 2026 at 9:30am"],
    ]
    assert rows[0][3].startswith("2 questions changed")  # the rows and the long text, not the date
    assert rows[1][3].startswith("1 question changed")
    assert rows[2][3].startswith("First version")
    links = page.by_id(f"versions-{SECTION}").find_all("a")
    assert [a.attrs["href"] for a in links] == [
        f"{base_url(pep)}/history/{SECTION}/compare?from=2&to=3",
        f"{base_url(pep)}/history/{SECTION}/compare?from=1&to=2",
    ]
    assert "Compare with previous" in links[0].text()
    # Sections nobody has saved are named, not listed with empty tables.
    assert "My Health" in page.text()
    assert "versions-health" not in response.text


def test_the_pep_page_links_to_its_history_and_each_saved_section_to_its_own(app: Flask, saved: dict) -> None:
    pep = saved["pep"]
    client = signed_in(app, saved["teachers"][0])
    page = page_of(client.get(base_url(pep)).text)
    links = {a.text(hidden=False): a.attrs["href"] for a in page.find_all("a")}
    assert links["History of this PEP"] == f"{base_url(pep)}/history"
    section_links = page.by_id(f"section-{SECTION}").find_all("a")
    assert f"{base_url(pep)}/history?section={SECTION}" in [a.attrs["href"] for a in section_links]


def test_the_timeline_merges_step_changes_and_saves(app: Flask, saved: dict) -> None:
    pep, social_worker = saved["pep"], saved["social_worker"]
    db.session.add(
        PepStateChange(
            pep_id=pep.id,
            from_state="initiated",
            to_state="delegated_to_setting",
            transition_key="delegate_to_setting",
            actor_id=social_worker.id,
            comment="Over to the school",
            occurred_on=dt.date(2026, 10, 12),
            occurred_at=dt.datetime(2026, 10, 12, 10, 0, tzinfo=dt.UTC),
        )
    )
    db.session.commit()
    page = page_of(signed_in(app, social_worker).get(f"{base_url(pep)}/history").text)
    rows = page.by_id("timeline-events").rows()
    assert [row[0] for row in rows] == [
        "2 November 2026 at 2:05pm",
        "19 October 2026 at 2:00pm",
        "12 October 2026 at 11:00am",
        "5 October 2026 at 9:30am",
    ]
    assert rows[2][1] == (
        "Delegate sections to setting: from ‘With social worker: My Personal Information and My Health’"
        " to ‘Delegated to setting – completing before meeting’ Over to the school"
    )
    assert rows[2][2] == "Sam Worker Social worker"
    assert rows[0][1] == "Saved ‘Education setting and history’, version 3"


def test_filtering_by_section_shows_that_section_only(app: Flask, saved: dict) -> None:
    pep = saved["pep"]
    client = signed_in(app, saved["social_worker"])
    response = client.get(f"{base_url(pep)}/history?section={SECTION}")
    page = page_of(response.text)
    assert len(page.by_id(f"versions-{SECTION}").rows()) == 3
    assert "timeline-events" not in response.text
    selected = [o for o in page.by_id("section").find_all("option") if "selected" in o.attrs]
    assert [o.attrs["value"] for o in selected] == [SECTION]
    # An unsaved section says so; a section that does not exist shows every section instead.
    assert "This section has not been saved yet" in client.get(f"{base_url(pep)}/history?section=health").text
    assert f"versions-{SECTION}" in client.get(f"{base_url(pep)}/history?section=nonsense").text


def test_a_pep_with_nothing_saved_says_so(app: Flask, world: dict) -> None:
    client = signed_in(app, world["social_worker"])
    response = client.get(f"{base_url(world['pep'])}/history")
    assert response.status_code == 200
    assert "No section of this PEP has been saved yet" in response.text
    compare = client.get(f"{base_url(world['pep'])}/history/{SECTION}/compare")
    assert compare.status_code == 200
    assert "This section has not been saved yet" in compare.text


# --- Comparing ---------------------------------------------------------------------------------


def test_comparing_the_first_and_last_versions_shows_what_changed(app: Flask, saved: dict) -> None:
    pep = saved["pep"]
    client = signed_in(app, saved["social_worker"])
    response = client.get(f"{base_url(pep)}/history/{SECTION}/compare?from=1&to=3")
    assert response.status_code == 200
    page = page_of(response.text)
    assert "2 questions changed between version 1 and version 3; 1 unchanged" in page.by_id(
        "change-summary"
    ).text(hidden=False)
    changed = {card.attrs["id"] for card in page.find_all(data_status="changed")}
    assert changed == {"question-previous_settings", "question-time_out_of_education"}

    # The long text: before and after in full, and word by word with the change announced in words.
    text_card = page.by_id("question-time_out_of_education")
    values = {
        row.find_all("dt")[0].text(): row.find_all("dd")[0]
        for row in text_card.find_all("div", **{"class": "govuk-summary-list__row"})
    }
    assert values["Version 1"].text() == "She missed two weeks in June while moving"
    assert values["Version 3"].text() == "She missed three weeks in June while moving home"
    words = values["Word by word"]
    assert [d.text(hidden=False) for d in words.find_all("del")] == ["two"]
    assert [i.text(hidden=False) for i in words.find_all("ins")] == ["three", "home"]
    assert words.find_all("del")[0].text() == "removed: two (end of removed text)"
    assert words.find_all("ins")[0].text() == "added: three (end of added text)"

    # The rows: the first row's reason changed, a second row added, cell by cell.
    rows_card = page.by_id("question-previous_settings")
    assert "Version 1: 1 row. Version 3: 2 rows." in rows_card.text()
    changed_row, added_row = rows_card.find_all("table")
    assert changed_row.attrs["data-row-status"] == "changed"
    assert changed_row.find_all("caption")[0].text() == "Row 1: changed"
    assert changed_row.rows() == [
        ["School or setting", "Hill Primary", "Hill Primary", "Unchanged"],
        ["Date left", "18 July 2025", "18 July 2025", "Unchanged"],
        ["Reason for leaving", "Moved placement", "Placement moved to Preston", "Changed"],
    ]
    assert added_row.attrs["data-row-status"] == "added"
    assert added_row.find_all("caption")[0].text() == "Row 2: added in version 3"
    assert added_row.rows() == [
        ["School or setting", "Oak Nursery"],
        ["Date left", "16 July 2021"],
        ["Reason for leaving", "Started primary school"],
    ]

    # The date that did not change is listed as unchanged, tucked away.
    unchanged = page.by_id("unchanged-questions")
    assert unchanged.find_all("dt")[0].text() == "Date the child joined this setting"
    assert unchanged.find_all("dd")[0].text() == "3 September 2025"
    assert "1 unchanged question" in response.text


def test_who_saved_each_compared_version_is_shown(app: Flask, saved: dict) -> None:
    client = signed_in(app, saved["social_worker"])
    text = page_of(client.get(f"{base_url(saved['pep'])}/history/{SECTION}/compare?from=1&to=3").text).text()
    assert (
        "Before: version 1 Saved by Dana Reid (Designated teacher) on 5 October 2026 at 9:30am, as a draft"
        in text
    )
    assert (
        "After: version 3 Saved by Fay Hart (Designated teacher) on 2 November 2026 at 2:05pm, as a draft"
        in text
    )


def test_without_versions_chosen_the_latest_is_compared_with_the_one_before(app: Flask, saved: dict) -> None:
    client = signed_in(app, saved["social_worker"])
    page = page_of(client.get(f"{base_url(saved['pep'])}/history/{SECTION}/compare").text)
    assert "between version 2 and version 3" in page.by_id("change-summary").text()
    chosen = {
        select: [o.attrs["value"] for o in page.by_id(select).find_all("option") if "selected" in o.attrs]
        for select in ("from", "to")
    }
    assert chosen == {"from": ["2"], "to": ["3"]}


def test_a_removed_row_and_a_cleared_answer(app: Flask, world: dict) -> None:
    dana, eli, _ = world["teachers"]
    cleared = {**THIRD, "previous_settings": THIRD["previous_settings"][1:], "time_out_of_education": ""}
    save_versions(world["pep"], [(dana, THIRD), (eli, cleared)])
    client = signed_in(app, world["social_worker"])
    page = page_of(client.get(f"{base_url(world['pep'])}/history/{SECTION}/compare?from=1&to=2").text)
    (removed,) = page.by_id("question-previous_settings").find_all("table")
    assert removed.find_all("caption")[0].text() == "Row 1 of version 1: removed"
    assert removed.rows()[0] == ["School or setting", "Hill Primary"]
    assert "1 row unchanged." in page.by_id("question-previous_settings").text()
    assert page.by_id("question-time_out_of_education").attrs["data-status"] == "removed"
    assert "Answer removed" in page.by_id("question-time_out_of_education").text()


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("from=abc&to=3", 404, "Select a version to compare from that this section has"),
        ("from=1&to=9", 404, "Select a version to compare to that this section has"),
        ("from=-1&to=2", 404, "Select a version to compare from that this section has"),
        ("from=3&to=1", 400, "The version to compare from must be the same as or earlier than"),
    ],
)
def test_bad_versions_are_explained(app: Flask, saved: dict, query: str, status: int, message: str) -> None:
    client = signed_in(app, saved["social_worker"])
    response = client.get(f"{base_url(saved['pep'])}/history/{SECTION}/compare?{query}")
    assert response.status_code == status
    page = page_of(response.text)
    assert message in page.find_all("div", **{"class": "govuk-error-summary"})[0].text()
    assert page.find_all("title")[0].text().startswith("Error: ")
    assert "change-summary" not in response.text


def test_a_section_that_does_not_exist_is_not_found(app: Flask, saved: dict) -> None:
    client = signed_in(app, saved["social_worker"])
    assert client.get(f"{base_url(saved['pep'])}/history/nonsense/compare").status_code == 404
    assert client.get(f"{base_url(saved['pep'])}/history/nonsense/compare?from=1&to=2").status_code == 404


# --- Who may see it, and the record of who did ----------------------------------------------------


def test_another_settings_designated_teacher_sees_nothing(app: Flask, saved: dict) -> None:
    client = signed_in(app, saved["stranger"])
    for url in ("/history", f"/history?section={SECTION}", f"/history/{SECTION}/compare?from=1&to=3"):
        response = client.get(base_url(saved["pep"]) + url)
        assert response.status_code == 404
        assert "Olive" not in response.text
        assert "Fay Hart" not in response.text


def test_viewing_the_history_and_a_comparison_is_audited(app: Flask, saved: dict) -> None:
    pep, fay = saved["pep"], saved["teachers"][2]
    client = signed_in(app, fay)
    client.get(f"{base_url(pep)}/history")
    client.get(f"{base_url(pep)}/history/{SECTION}/compare?from=1&to=3")
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "pep.viewed").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.subject_type, e.subject_id, e.authority_id) for e in events] == [
        (fay.id, "Pep", pep.id, pep.authority_id)
    ] * 2
    assert events[0].details == {"page": "history"}
    assert events[1].details == {
        "page": "history_compare",
        "section": SECTION,
        "from_version": 1,
        "to_version": 3,
    }


def test_the_history_page_costs_the_same_for_2_and_20_versions(app: Flask, world: dict) -> None:
    client = signed_in(app, world["social_worker"])
    dana, eli, _ = world["teachers"]
    url = f"{base_url(world['pep'])}/history"
    compare_url = f"{base_url(world['pep'])}/history/{SECTION}/compare?from=1&to=2"

    def answers(number: int) -> dict:
        return {**FIRST, "time_out_of_education": f"Version {number} of the story"}

    save_versions(world["pep"], [((dana, eli)[n % 2], answers(n)) for n in range(2)])
    client.get(url)  # anything loaded once per process (configurations) is loaded
    with count_queries(db.engine) as few:
        assert client.get(url).status_code == 200
    with count_queries(db.engine) as few_compare:
        assert client.get(compare_url).status_code == 200
    for number in range(2, 20):
        entry = save_section(
            (dana, eli)[number % 2], world["pep"], SECTION, answers(number), base_version=number, today=TODAY
        )
        assert entry.version == number + 1
    with count_queries(db.engine) as many:
        response = client.get(url)
    with count_queries(db.engine) as many_compare:
        assert client.get(compare_url).status_code == 200
    assert len(page_of(response.text).by_id(f"versions-{SECTION}").rows()) == 20
    assert len(many) == len(few), "\n".join(many)
    assert len(many_compare) == len(few_compare)


def test_versions_saved_through_the_form_appear_in_the_history(app: Flask, world: dict) -> None:
    """The section form's save and the history agree: two saves by the teacher, two versions."""
    from tests.factories import csrf_token

    pep, dana = world["pep"], world["teachers"][0]
    client = signed_in(app, dana)
    for number, text in enumerate(("First account", "Second account"), start=1):
        form_page = client.get(f"{base_url(pep)}/sections/{SECTION}/edit")
        response = client.post(
            f"{base_url(pep)}/sections/{SECTION}",
            data={
                "csrf_token": csrf_token(form_page.text),
                "base_version": str(number - 1),
                "action": "save",
                "date_joined-day": "3",
                "date_joined-month": "9",
                "date_joined-year": "2025",
                "previous_settings-rows": "0",
                "time_out_of_education": text,
            },
        )
        assert response.status_code == 302, response.text
    assert (
        db.session.scalar(select(PepSectionEntry.version).order_by(PepSectionEntry.version.desc()).limit(1))
        == 2
    )
    page = page_of(client.get(f"{base_url(pep)}/history/{SECTION}/compare").text)
    words = page.by_id("question-time_out_of_education")
    assert [d.text(hidden=False) for d in words.find_all("del")] == ["First"]
    assert [i.text(hidden=False) for i in words.find_all("ins")] == ["Second"]
