"""Pagination for any select, including ones returning several entities per row.

Two queries per page whatever the page size: one count, one page of rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, Subquery, func, select

from portal.extensions import db

T = TypeVar("T")
PER_PAGE = 25


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)


def clamp_page(value: Any) -> int:
    """A page number from the query string; nonsense becomes page 1 rather than an error."""
    try:
        return max(1, min(int(value), 100_000))
    except (TypeError, ValueError):
        return 1


def paginate_list(items: Sequence[T], page: int, per_page: int = PER_PAGE) -> Page[T]:
    """A page of a list already in memory (e.g. one PEP's events), numbered like the queries'."""
    number = min(max(1, page), max(1, math.ceil(len(items) / per_page)))
    start = (number - 1) * per_page
    return Page(items=items[start : start + per_page], total=len(items), number=number, per_page=per_page)


def paginate(
    statement: Select[Any], page: int, per_page: int = PER_PAGE, *, scalars: bool = True
) -> Page[Any]:
    # Count the rows only: computed columns (such as a next due date) need not be evaluated.
    counted = statement.with_only_columns(*[c for c in statement.selected_columns[:1]]).order_by(None)
    total = db.session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    result = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique().scalars()) if scalars else [tuple(row) for row in result.unique()]
    return Page(items=items, total=total, number=page, per_page=per_page)


def paginate_by_id(
    ids: Select[tuple[int]],
    page: int,
    rows_for: Callable[[Subquery], Select[Any]],
    per_page: int = PER_PAGE,
) -> Page[Any]:
    """Paginate a large ordered list in two steps: choose the page's ids (ordered and limited in
    the database, from an index where one fits), then load just those rows with their relations.

    Loading relations with joins on the whole list would make the database join every matching
    row before it could sort and limit; this keeps the cost of a page to the page.
    """
    total = db.session.scalar(select(func.count()).select_from(ids.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    window = ids.limit(per_page).offset((page - 1) * per_page).subquery()
    items = list(db.session.execute(rows_for(window)).unique().scalars())
    return Page(items=items, total=total, number=page, per_page=per_page)
