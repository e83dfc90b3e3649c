"""The Virtual School's compliance dashboard over a small hand-built term whose every figure is
known: the tables on the page, the PEPs behind each figure, the exports, and who may see them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from portal import clock
from portal.authorities.schema import Role, Term
from portal.extensions import db
from portal.models import AuditEvent, PepDeadline, PpPlusRequest, QaReview
from portal.models.funding import PpPlusDecision
from portal.services.authorities import config_for
from portal.services.compliance import dashboard
from portal.services.compliance_scope import Scope, TermChoice
from tests.factories import make_child, make_pep, make_setting, make_user, sign_in
from tests.integration.conftest import load_sample_council

TODAY = dt.date(2026, 11, 20)
BASE = "/a/sample-council/virtual-school/compliance"


class TableReader(HTMLParser):
    """The text of every cell of every table on a page, by table id, and each cell's link."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[list[str | None]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table":
            self._table = attributes.get("id") or f"table{len(self.tables)}"
            self.tables[self._table], self.links[self._table] = [], []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
            self.links[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
            self.links[self._table][-1].append(None)
        elif tag == "a" and self._cell is not None:
            self.links[self._table][-1][-1] = attributes["href"]
        elif tag == "span" and (self._hidden or "govuk-visually-hidden" in (attributes.get("class") or "")):
            self._hidden += 1  # text for screen readers only, and anything nested in it

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def read_tables(html: str) -> TableReader:
    reader = TableReader()
    reader.feed(html)
    return reader


PEP_LINK = re.compile(
    r'<th scope="row" class="govuk-table__header"><a [^>]*href="/a/[^"]+/peps/\d+">([^<]+)</a>'
)


def children_listed(html: str) -> set[str]:
    """The children named in a list of PEPs, each linking to their PEP."""
    return set(PEP_LINK.findall(html))


@pytest.fixture
def term_world(app: Flask, authorities: dict, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Eight PEPs of the sample council's autumn term 2026, judged on 20 November 2026, plus PEPs
    that must not count: one of another term, one of another authority at the same school."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    council = load_sample_council()
    alder, birch = make_setting("Alder School"), make_setting("Birch Academy")
    vs = make_user("Vera School", email="vs@sample.example", roles=[(Role.VIRTUAL_SCHOOL, council)])
    sam = make_user("Sam Social", roles=[(Role.SOCIAL_WORKER, council)])
    sue = make_user("Sue Worker", roles=[(Role.SOCIAL_WORKER, council)])

    def pep(name, *, state, setting=None, worker=None, finalised=None, phase="secondary", term=Term.AUTUMN):
        child = make_child(council, name.split()[0], name.split()[1], social_worker=worker, setting=setting)
        made = make_pep(child, state=state, setting=setting, term=term)
        made.phase = phase
        made.finalised_at = dt.datetime.combine(finalised, dt.time(15), dt.UTC) if finalised else None
        db.session.commit()
        return made

    def deadline(made, rule, due, met=None):
        db.session.add(
            PepDeadline(
                pep_id=made.id,
                rule_key=rule,
                label=rule,
                responsible=Role.SOCIAL_WORKER,
                due_on=due,
                met_on=met,
                explanation="test",
            )
        )

    def grade(made, key):
        db.session.add(QaReview(pep_id=made.id, reviewer_id=vs.id, grade=key))
        db.session.flush()

    def pp_plus(made, requested, decision=None, approved=None):
        row = db.session.query(PpPlusRequest).filter_by(pep_id=made.id).count()
        db.session.add(
            PpPlusRequest(
                pep_id=made.id,
                section_key="targets",
                field_key="targets",
                row_index=row,
                requested=Decimal(requested),
                decision=decision,
                approved=None if approved is None else Decimal(approved),
            )
        )

    d = dt.date
    peps = {
        "on time": pep("Ona Time", state="signed_off", setting=alder, worker=sam, finalised=d(2026, 11, 10)),
        "late": pep("Lee Late", state="signed_off", setting=alder, worker=sam, finalised=d(2026, 11, 15)),
        "late open": pep(
            "Opal Open", state="signed_off", setting=birch, worker=sue, finalised=d(2026, 11, 15)
        ),
        "overdue": pep("Otto Overdue", state="with_setting", setting=birch, worker=sue),
        "overdue unstarted": pep("Una Started", state="initiated"),
        "not started": pep("Nat Started", state="initiated", setting=alder, worker=sue),
        "in progress": pep(
            "Ivy Progress", state="after_meeting", setting=birch, worker=sam, phase="specialist"
        ),
        "undated": pep("Ike Undated", state="with_setting", setting=alder, worker=sam),
    }
    deadline(peps["on time"], "setting_completes", d(2026, 11, 12), d(2026, 11, 5))
    deadline(peps["late"], "setting_completes", d(2026, 11, 5), d(2026, 11, 9))
    deadline(peps["late open"], "term_window", d(2026, 11, 10))
    deadline(peps["overdue"], "setting_completes", d(2026, 11, 18))
    deadline(peps["overdue unstarted"], "initial_meeting", d(2026, 11, 1))
    deadline(peps["not started"], "initial_meeting", d(2026, 12, 1))
    deadline(peps["in progress"], "setting_completes", d(2026, 11, 25))
    deadline(peps["in progress"], "term_window", None)
    grade(peps["on time"], "good")
    grade(peps["late"], "inadequate")
    grade(peps["late"], "adequate")  # the latest grade counts
    grade(peps["late open"], "inadequate")
    grade(peps["undated"], "good")
    pp_plus(peps["on time"], "300.00", PpPlusDecision.APPROVED, "300.00")
    pp_plus(peps["late"], "520.00", PpPlusDecision.REDUCED, "200.00")
    pp_plus(peps["late open"], "100.00", PpPlusDecision.APPROVED, "100.00")  # graded inadequate: not payable
    pp_plus(peps["overdue"], "250.00")  # not decided yet
    pp_plus(peps["undated"], "80.00", PpPlusDecision.DECLINED, "0.00")

    # Not this term, and not this authority: neither may count.
    other_term = pep("Spring Term", state="initiated", setting=alder, worker=sam, term=Term.SPRING)
    deadline(other_term, "initial_meeting", d(2026, 10, 1))
    lancashire = authorities["lancashire"]
    foreign = make_pep(make_child(lancashire, "Zebedee", setting=alder), setting=alder, state="with_setting")
    deadline(foreign, "setting_completes", d(2026, 11, 1))
    db.session.add(PpPlusRequest(pep_id=foreign.id, section_key="s", field_key="f", row_index=0, requested=9))
    make_user(email="vs@lancs.example", roles=[(Role.VIRTUAL_SCHOOL, lancashire)])
    db.session.commit()
    return {"council": council, "peps": peps, "alder": alder, "birch": birch, "sam": sam, "sue": sue}


@pytest.fixture
def vs_client(client: FlaskClient, term_world: dict) -> FlaskClient:
    sign_in(client, "vs@sample.example")
    return client


def test_the_dashboard_shows_each_figure_of_the_term(vs_client: FlaskClient) -> None:
    page = vs_client.get(BASE)
    assert page.status_code == 200
    tables = read_tables(page.text).tables
    assert tables["status_totals"][1:] == [
        ["Completed on time", "1"],
        ["Completed late", "2"],
        ["Overdue", "2"],
        ["In progress", "2"],
        ["Not started", "1"],
        ["PEPs due", "8"],
    ]
    assert tables["status_by_setting"] == [
        [
            "Education setting",
            "Completed on time",
            "Completed late",
            "Overdue",
            "In progress",
            "Not started",
            "PEPs due",
        ],
        ["Alder School", "1", "1", "0", "1", "1", "4"],
        ["Birch Academy", "0", "1", "1", "1", "0", "3"],
        ["No setting", "0", "0", "1", "0", "0", "1"],
        ["All PEPs", "1", "2", "2", "2", "1", "8"],
    ]
    assert tables["status_by_social_worker"][1:] == [
        ["Sam Social", "1", "1", "0", "2", "0", "4"],
        ["Sue Worker", "0", "1", "1", "0", "1", "3"],
        ["Not allocated", "0", "0", "1", "0", "0", "1"],
        ["All PEPs", "1", "2", "2", "2", "1", "8"],
    ]
    assert tables["status_by_phase"][1:] == [
        ["Secondary PEP", "1", "2", "2", "1", "1", "7"],
        ["Special School PEP", "0", "0", "0", "1", "0", "1"],
        ["All PEPs", "1", "2", "2", "2", "1", "8"],
    ]
    assert tables["deadline_windows"] == [
        [
            "Deadline",
            "Met on time",
            "Met late",
            "Overdue",
            "Not yet due",
            "No date yet",
            "PEPs with this deadline",
        ],
        ["Initial PEP meeting held", "0", "0", "1", "1", "0", "2"],
        ["Setting completes its sections", "1", "1", "1", "1", "0", "4"],
        ["Virtual School QA", "0", "0", "0", "0", "0", "0"],
        ["Submitted by the term's deadline", "0", "0", "1", "0", "1", "2"],
    ]
    assert tables["qa_grades"][1:] == [
        ["Good", "2"],
        ["Adequate", "1"],
        ["Inadequate", "1"],
        ["Not graded", "4"],
        ["All PEPs", "8"],
    ]
    assert tables["pp_plus"] == [
        ["Education setting", "Requested (£)", "Approved (£)", "Payable (£)"],
        ["Alder School", "£900.00", "£500.00", "£500.00"],
        ["Birch Academy", "£350.00", "£100.00", "£0.00"],
        ["All settings", "£1,250.00", "£600.00", "£500.00"],
    ]
    assert "Zebedee" not in page.text and "Spring Term" not in page.text
    # The charts say their figures in words too.
    assert '<desc id="status-chart-desc">Completed on time: 1; Completed late: 2; Overdue: 2;' in page.text


def follow(client: FlaskClient, html: str, table: str, row_label: str, column: int) -> set[str]:
    """Select the figure in ``column`` of the row named ``row_label``; the children listed."""
    reader = read_tables(html)
    index = next(i for i, row in enumerate(reader.tables[table]) if row and row[0] == row_label)
    href = reader.links[table][index][column]
    assert href, f"{table} / {row_label} / column {column} has no link"
    response = client.get(href)
    assert response.status_code == 200
    return children_listed(response.text)


def test_each_figure_lists_exactly_the_peps_behind_it(vs_client: FlaskClient) -> None:
    html = vs_client.get(BASE).text
    assert follow(vs_client, html, "status_totals", "Overdue", 1) == {"Otto Overdue", "Una Started"}
    assert follow(vs_client, html, "status_by_setting", "Alder School", 2) == {"Lee Late"}
    assert follow(vs_client, html, "status_by_setting", "Alder School", 6) == {
        "Ona Time",
        "Lee Late",
        "Nat Started",
        "Ike Undated",
    }
    assert follow(vs_client, html, "status_by_social_worker", "Not allocated", 3) == {"Una Started"}
    assert follow(vs_client, html, "status_by_phase", "Special School PEP", 4) == {"Ivy Progress"}
    assert follow(vs_client, html, "deadline_windows", "Setting completes its sections", 2) == {"Lee Late"}
    assert follow(vs_client, html, "deadline_windows", "Submitted by the term's deadline", 5) == {
        "Ivy Progress"
    }
    assert follow(vs_client, html, "qa_grades", "Not graded", 1) == {
        "Otto Overdue",
        "Una Started",
        "Nat Started",
        "Ivy Progress",
    }
    assert follow(vs_client, html, "qa_grades", "Adequate", 1) == {"Lee Late"}
    assert follow(vs_client, html, "pp_plus", "Alder School", 1) == {"Ona Time", "Lee Late", "Ike Undated"}
    assert follow(vs_client, html, "pp_plus", "Alder School", 2) == {"Ona Time", "Lee Late"}
    assert follow(vs_client, html, "pp_plus", "All settings", 3) == {"Ona Time", "Lee Late"}
    # A zero has nothing behind it, so it is not a link.
    assert read_tables(html).links["status_by_setting"][1][3] is None


def test_the_drill_down_names_its_filters_and_links_each_pep(
    vs_client: FlaskClient, term_world: dict
) -> None:
    alder = term_world["alder"]
    page = vs_client.get(f"{BASE}/peps?term=2026-autumn&setting={alder.id}&status=completed_late")
    assert "Alder School" in page.text and "Completed late" in page.text
    lee = term_world["peps"]["late"]
    assert f'href="/a/sample-council/peps/{lee.id}"' in page.text
    assert vs_client.get(f"/a/sample-council/peps/{lee.id}").status_code == 200


def test_exports_hold_the_same_table_and_are_audited(vs_client: FlaskClient, app: Flask) -> None:
    on_screen = read_tables(vs_client.get(BASE).text).tables["status_by_setting"]
    response = vs_client.get(f"{BASE}/export/status_by_setting.csv?term=2026-autumn")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sample-council-2026-autumn-status_by_setting.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows == on_screen

    response = vs_client.get(f"{BASE}/export/pp_plus.xlsx?term=2026-autumn")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values == [
        ["Education setting", "Requested (£)", "Approved (£)", "Payable (£)"],
        ["Alder School", 900, 500, 500],
        ["Birch Academy", 350, 100, 0],
        ["All settings", 1250, 600, 500],
    ]
    assert sheet["B2"].data_type == "n"

    windows = load_workbook(io.BytesIO(vs_client.get(f"{BASE}/export/deadline_windows.xlsx").data)).active
    assert [c.value for c in windows[2]] == ["Initial PEP meeting held", 0, 0, 1, 1, 0, 2]

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "compliance.exported")).all()
    assert [(e.details["table"], e.details["format"]) for e in events] == [
        ("status_by_setting", "csv"),
        ("pp_plus", "xlsx"),
        ("deadline_windows", "xlsx"),
    ]


def test_names_that_look_like_formulas_are_exported_as_text(vs_client: FlaskClient, term_world: dict) -> None:
    term_world["alder"].name = '=HYPERLINK("http://evil.example","x")'
    term_world["sam"].full_name = "@SUM(1+1)"
    db.session.commit()
    rows = list(
        csv.reader(
            io.StringIO(vs_client.get(f"{BASE}/export/status_by_setting.csv").data.decode("utf-8-sig"))
        )
    )
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'
    sheet = load_workbook(
        io.BytesIO(vs_client.get(f"{BASE}/export/status_by_social_worker.xlsx").data)
    ).active
    names = {sheet.cell(row, 1).value: sheet.cell(row, 1).data_type for row in range(2, sheet.max_row + 1)}
    assert names["'@SUM(1+1)"] == "s"
    assert not any(str(name).startswith(("=", "@", "+", "-")) for name in names)


def test_another_authoritys_virtual_school_is_refused(client: FlaskClient, term_world: dict) -> None:
    sign_in(client, "vs@lancs.example")
    for url in (BASE, f"{BASE}/peps?status=overdue", f"{BASE}/export/qa_grades.csv"):
        assert client.get(url).status_code == 403, url
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "compliance.exported")) is None
    # Their own dashboard counts only their own PEP.
    own = client.get("/a/lancashire/virtual-school/compliance?term=2026-autumn")
    assert own.status_code == 200
    assert read_tables(own.text).tables["status_totals"][-1] == ["PEPs due", "1"]
    assert "Otto" not in own.text


@pytest.mark.parametrize(
    "query",
    [
        "?term=garbage",
        "?term=2026-winter",
        "?term=99999-autumn",
        "/peps?status=bogus&setting=abc&phase=x&grade=%3Cscript%3E&rule=DROP%20TABLE&funding=x&page=-3",
        "/peps?setting=-1&social_worker=none&outcome=nonsense",
        "/peps?setting=99999999999999999999&term=2026-autumn",
        "/peps?setting=9999999999&social_worker=none&rule=setting_completes&outcome=met_late",
        "/peps?grade=none&page=999999",
    ],
)
def test_nonsense_in_the_query_string_never_breaks_a_page(vs_client: FlaskClient, query: str) -> None:
    response = vs_client.get(BASE + query)
    assert response.status_code == 200
    assert "<script>" not in response.text


def test_unknown_exports_and_foreign_social_workers_are_not_found(
    vs_client: FlaskClient, authorities: dict
) -> None:
    stranger = make_user("Stella Stranger", roles=[(Role.SOCIAL_WORKER, authorities["bradford"])])
    assert vs_client.get(f"{BASE}/export/children.csv").status_code == 404
    assert vs_client.get(f"{BASE}/export/qa_grades.pdf").status_code == 404
    response = vs_client.get(f"{BASE}/peps?social_worker={stranger.id}")
    assert response.status_code == 404
    assert "Stella" not in response.text


def test_a_term_with_no_pp_plus_requests_says_so(vs_client: FlaskClient) -> None:
    db.session.query(PpPlusRequest).delete()
    db.session.commit()
    page = vs_client.get(BASE)
    assert "No PP+ has been requested in the PEPs of the Autumn term" in page.text
    csv_rows = vs_client.get(f"{BASE}/export/pp_plus.csv").data.decode("utf-8-sig").splitlines()
    assert csv_rows == [
        "Education setting,Requested (£),Approved (£),Payable (£)",
        "All settings,0.00,0.00,0.00",
    ]


def test_earlier_terms_can_be_chosen(vs_client: FlaskClient, term_world: dict) -> None:
    page = vs_client.get(BASE)
    assert '<option value="2026-spring"' in page.text and '<option value="2026-autumn" selected' in page.text
    spring = read_tables(vs_client.get(f"{BASE}?term=2026-spring").text).tables["status_totals"]
    assert spring[-1] == ["PEPs due", "1"] and ["Overdue", "1"] in spring


def test_the_service_counts_the_same_figures(term_world: dict) -> None:
    council = term_world["council"]
    scope = Scope(council, config_for(council), TermChoice(2026, Term.AUTUMN), TODAY)
    tables = dashboard(scope)
    assert [f.value for f in tables["pp_plus"].total.figures] == [
        Decimal("1250.00"),
        Decimal("600.00"),
        Decimal("500.00"),
    ]
    assert tables["status_totals"].total.figures[0].value == 8
