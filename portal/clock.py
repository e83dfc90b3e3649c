"""Today's date where the children and their schools are: England, not the server's UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def london_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()
