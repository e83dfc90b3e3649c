"""The portal's request: submitted text never carries NUL characters.

No text the portal keeps may contain NUL: PostgreSQL refuses it in any text column (SQLite keeps
it), so a single pasted or forged NUL would fail the whole request on the production database.
It is removed once here, where every form and query string is parsed, rather than by a validator
on each of the many text fields.
"""

from __future__ import annotations

from functools import cached_property

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _without_nul(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        [(key.replace("\x00", ""), value.replace("\x00", "")) for key, value in values.items(multi=True)]
    )


class PortalRequest(Request):
    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        super()._load_form_data()
        if any("\x00" in key or "\x00" in value for key, value in self.form.items(multi=True)):
            self.__dict__["form"] = _without_nul(self.form)

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:  # type: ignore[override]
        parsed = super().args
        if any("\x00" in key or "\x00" in value for key, value in parsed.items(multi=True)):
            return _without_nul(parsed)
        return parsed
