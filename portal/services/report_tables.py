"""Tables of figures as a report shows and exports them: each figure knows the PEPs behind it.

One structure serves the page (where every figure links to its drill-down), the charts and the
CSV and Excel exports, so what is downloaded is exactly what is on the screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

Value = int | Decimal


def money_text(amount: Decimal) -> str:
    """£1,234.50: money as people read it (exports keep the plain number)."""
    return f"£{amount:,.2f}"


@dataclass(frozen=True)
class Figure:
    value: Value
    #: Query-string filters that list the PEPs behind this figure.
    drill: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return money_text(self.value)
        return f"{self.value:,}"

    @property
    def has_peps(self) -> bool:
        """A zero has no PEPs behind it, so it is shown without a link to an empty list."""
        return self.value > 0


@dataclass(frozen=True)
class Row:
    label: str
    figures: list[Figure]


@dataclass(frozen=True)
class Table:
    #: The name it is exported under (also its anchor on the page).
    key: str
    caption: str
    row_heading: str
    columns: list[str]
    rows: list[Row]
    total: Row | None = None
    #: Figures are amounts of money (pounds), not counts of PEPs.
    money: bool = False
    #: Said under the table: what the figures count, where that is not obvious.
    note: str = ""

    def records(self) -> list[list[str | Value]]:
        """The header row, then one list per row (the total last), for exports."""
        rows = [*self.rows, self.total] if self.total else self.rows
        return [
            [self.row_heading, *self.columns],
            *([row.label, *(f.value for f in row.figures)] for row in rows),
        ]


def column_sums(rows: list[Row], label: str, drills: list[Mapping[str, str]], zero: Value = 0) -> Row:
    """A total row: each column summed, with the drill-down of that whole column."""
    sums: list[Value] = [sum((row.figures[i].value for row in rows), start=zero) for i in range(len(drills))]
    return Row(label, [Figure(value, drill) for value, drill in zip(sums, drills, strict=True)])
