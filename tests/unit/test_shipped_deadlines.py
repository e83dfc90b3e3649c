"""Worked deadline examples for each shipped authority, checked by hand against a calendar.

Bank holidays used: 2026: Fri 25 Dec, Mon 28 Dec (Boxing Day observed). 2027: Fri 1 Jan, Good
Friday 26 Mar, Easter Monday 29 Mar, Mon 3 May, Mon 31 May, Mon 27 Dec and Tue 28 Dec (Christmas
and Boxing Day observed). 2028: Mon 3 Jan (New Year's Day observed). Term dates are each
authority's own (config/authorities).
"""

from __future__ import annotations

import datetime as dt

import pytest

from portal.authorities import engine
from portal.authorities.engine import PepFacts
from portal.authorities.loader import load_directory
from portal.authorities.vocabulary import PepKind, Term
from portal.settings import PROJECT_ROOT

CONFIGS = {slug: a.config for slug, a in load_directory(PROJECT_ROOT / "config" / "authorities").items()}
D = dt.date
INITIAL, TERMLY = PepKind.INITIAL, PepKind.TERMLY_REVIEW
#: When the child became looked after, where an example does not depend on it.
SOME_TIME_AGO = D(2026, 1, 5)


def facts(
    kind: PepKind = TERMLY,
    *,
    year: int = 2026,
    term: Term = Term.SPRING,
    looked_after: dt.date = SOME_TIME_AGO,
    emergency: bool = False,
    meeting: dt.date | None = None,
    entered: dict[str, dt.date] | None = None,
) -> PepFacts:
    return PepFacts(
        kind=kind,
        state="any",
        phase="secondary",
        academic_year=year,
        term=term,
        meeting_date=meeting,
        became_looked_after_on=looked_after,
        emergency_placement=emergency,
        has_setting=True,
        steps_entered=entered or {},
    )


EXAMPLES = [
    # --- Lancashire (001) --------------------------------------------------------------------
    (
        "lancashire",
        facts(INITIAL, term=Term.AUTUMN, looked_after=D(2026, 12, 10)),
        "initial_meeting",
        D(2027, 1, 12),
        "20 working days from Thu 10 Dec 2026 over Christmas, 28 Dec and New Year's Day",
    ),
    (
        "lancashire",
        facts(INITIAL, term=Term.AUTUMN, looked_after=D(2026, 12, 10), emergency=True),
        "emergency_initiated",
        D(2026, 12, 24),
        "10 working days: 11, 14-18, 21-24 December",
    ),
    (
        "lancashire",
        facts(meeting=D(2027, 3, 22)),
        "social_worker_sections",
        D(2027, 3, 12),
        "10 calendar days before the meeting",
    ),
    (
        "lancashire",
        facts(meeting=D(2027, 3, 22)),
        "setting_completes",
        D(2027, 4, 7),
        "10 working days after Mon 22 Mar 2027, skipping Good Friday and Easter Monday",
    ),
    (
        "lancashire",
        facts(year=2027, term=Term.AUTUMN, meeting=D(2027, 12, 20)),
        "setting_completes",
        D(2028, 1, 6),
        "substitute days 27 and 28 Dec 2027 and 3 Jan 2028 skipped",
    ),
    ("lancashire", facts(), "term_window", D(2027, 3, 7), "spring window: 7 March"),
    ("lancashire", facts(term=Term.AUTUMN), "term_window", D(2026, 12, 7), "autumn window: 7 December"),
    # --- Cheshire West and Chester (000, 003) --------------------------------------------------
    (
        "cheshire-west-and-chester",
        facts(INITIAL, looked_after=D(2027, 3, 22)),
        "new_to_care_meeting",
        D(2027, 4, 21),
        "20 working days from Mon 22 Mar 2027 over Easter",
    ),
    (
        "cheshire-west-and-chester",
        facts(meeting=D(2027, 1, 12)),
        "sent_to_setting",
        D(2026, 12, 8),
        "3 school weeks (15 school days) back from Tue 12 Jan 2027 across the Christmas holiday",
    ),
    (
        "cheshire-west-and-chester",
        facts(meeting=D(2027, 1, 12)),
        "returned_before_meeting",
        D(2027, 1, 7),
        "3 school days before: 11, 8, 7 January",
    ),
    (
        "cheshire-west-and-chester",
        facts(meeting=D(2027, 1, 12)),
        "updated_after_meeting",
        D(2027, 1, 19),
        "5 school days after: 13, 14, 15, 18, 19 January",
    ),
    (
        "cheshire-west-and-chester",
        facts(),
        "initiated_early_in_term",
        D(2027, 1, 18),
        "2 school weeks after the spring term starts on Mon 4 Jan 2027",
    ),
    (
        "cheshire-west-and-chester",
        facts(),
        "held_in_first_half_of_term",
        D(2027, 2, 22),
        "6 school weeks after 4 Jan, stepping over the February half-term (15-19 Feb)",
    ),
    (
        "cheshire-west-and-chester",
        facts(term=Term.SUMMER, meeting=D(2027, 6, 8)),
        "returned_before_meeting",
        D(2027, 5, 27),
        "3 school days before Tue 8 Jun 2027: 7 Jun, then back over half-term and 31 May",
    ),
    # --- Bradford (002) -------------------------------------------------------------------------
    (
        "bradford",
        facts(INITIAL, term=Term.AUTUMN, looked_after=D(2026, 12, 24)),
        "initial_pep_meeting",
        D(2027, 1, 26),
        "20 working days from Christmas Eve 2026",
    ),
    (
        "bradford",
        facts(INITIAL, term=Term.AUTUMN, looked_after=D(2026, 12, 24), emergency=True),
        "emergency_pep_initiated",
        D(2027, 1, 12),
        "10 working days from Christmas Eve 2026",
    ),
    ("bradford", facts(meeting=D(2027, 3, 24)), "school_ready", D(2027, 3, 19), "3 working days before"),
    (
        "bradford",
        facts(meeting=D(2027, 3, 24)),
        "submitted_for_qa",
        D(2027, 4, 9),
        "10 working days after Wed 24 Mar 2027 over Easter",
    ),
    ("bradford", facts(), "termly_meeting", D(2027, 3, 25), "by the end of Bradford's spring term"),
    (
        "bradford",
        facts(year=2027, term=Term.AUTUMN, entered={"awaiting_qa": D(2027, 12, 22)}),
        "quality_assured",
        D(2028, 1, 10),
        "10 working days over the 2027 substitute days and 3 Jan 2028",
    ),
    # --- Example Borough (004) ---------------------------------------------------------------
    (
        "example-borough",
        facts(INITIAL, term=Term.AUTUMN, looked_after=D(2026, 12, 18)),
        "initial_pep_meeting",
        D(2027, 1, 20),
        "20 working days from Fri 18 Dec 2026",
    ),
    (
        "example-borough",
        facts(INITIAL, term=Term.AUTUMN, looked_after=D(2026, 12, 18), emergency=True),
        "emergency_pep_initiated",
        D(2027, 1, 6),
        "10 working days from Fri 18 Dec 2026",
    ),
    (
        "example-borough",
        facts(term=Term.SUMMER),
        "term_completion",
        D(2027, 7, 6),
        "2 school weeks before the summer term ends on Tue 20 Jul 2027",
    ),
    (
        "example-borough",
        facts(),
        "term_completion",
        D(2027, 3, 5),
        "2 school weeks before the spring term ends on Fri 19 Mar 2027",
    ),
    (
        "example-borough",
        facts(meeting=D(2027, 3, 24)),
        "dt_sections_complete",
        D(2027, 4, 2),
        "5 working days after Wed 24 Mar 2027 skipping Good Friday and Easter Monday",
    ),
    (
        "example-borough",
        facts(term=Term.SUMMER, entered={"awaiting_qa": D(2027, 4, 30)}),
        "vs_quality_assurance",
        D(2027, 5, 17),
        "10 working days after Fri 30 Apr 2027, skipping the May Day bank holiday",
    ),
]


@pytest.mark.parametrize(
    ("slug", "pep", "rule", "expected", "why"), EXAMPLES, ids=[f"{e[0]}:{e[2]}" for e in EXAMPLES]
)
def test_worked_example(slug: str, pep: PepFacts, rule: str, expected: dt.date, why: str) -> None:
    dues = {due.rule.key: due for due in engine.deadlines(CONFIGS[slug], pep)}
    assert rule in dues, f"{rule} does not apply; applies: {sorted(dues)}"
    assert dues[rule].due_on == expected, why


def test_rules_that_do_not_apply_are_left_out() -> None:
    planned = {d.rule.key for d in engine.deadlines(CONFIGS["lancashire"], facts(INITIAL, term=Term.AUTUMN))}
    assert "emergency_initiated" not in planned and "initial_meeting" in planned
    termly = {d.rule.key for d in engine.deadlines(CONFIGS["lancashire"], facts())}
    assert "initial_meeting" not in termly and "term_window" in termly
