"""What a browser would post from a process editor's page: the form's fields as shown, so a test
changes only what the administrator would change."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuthorityConfigDraft


class _FormReader(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.found:
            self.inside = self.action is None or a.get("action", "") == self.action
            self.found = self.inside
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif a.get("type") != "submit":
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self.fields += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_fields(page: str, action: str | None = None) -> dict[str, list[str]]:
    """The fields of the page's first form (or the one posting to ``action``), as a browser sends them."""
    reader = _FormReader(html.unescape(action) if action else None)
    reader.feed(page)
    assert reader.found, f"no form posting to {action}"
    fields: dict[str, list[str]] = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(value)
    return fields


def post_form(
    client: FlaskClient, url: str, changes: dict[str, str | list[str]], *, action: str | None = None
) -> tuple[str, str]:
    """Open ``url``, change some fields, post the form; (page shown, page after the post)."""
    page = client.get(url).text
    data = form_fields(page, action or url)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    response = client.post(action or url, data=data, follow_redirects=True)
    assert response.status_code == 200, response.status_code
    return page, response.text


def draft_document() -> dict | None:
    db.session.expire_all()
    draft = db.session.scalar(select(AuthorityConfigDraft))
    return draft.document if draft else None
