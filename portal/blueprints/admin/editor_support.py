"""What the structured process editors share: the configuration a page shows, keys made from
labels, and keeping an edit with its refusal as a list of problems to show.

Showing an editor changes nothing: it reads the draft if there is one, else the current version
(process_drafts.shown_document). The draft is made by the first edit kept (process_drafts.edit_draft).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import HiddenField, SubmitField

from portal.authorities.schema import AuthorityConfig
from portal.models import Authority
from portal.services import process_drafts
from portal.services.process_drafts import Document

#: Said on a page whose form was shown before someone else changed the draft.
STALE_DRAFT = (
    "Someone else changed the draft while you were editing. Your answers are below: "
    "reload the page to see their changes, then make yours again."
)
#: Paths an editor uses besides item keys (``/deadlines/new``): a key may not take them.
RESERVED_KEYS = frozenset({"new"})


def shown_config(authority: Authority) -> AuthorityConfig:
    return process_drafts.validate(process_drafts.shown_document(authority))


def key_from_label(label: str, taken: Iterable[str], *, prefix: str) -> str:
    """Lower-case words of ``label`` joined by underscores, made unique within ``taken``.

    A key must start with a letter: ``prefix`` goes first when the label does not (or has no words).
    """
    words = re.findall(r"[a-z0-9]+", label.lower())
    base = "_".join(words)[:50] or prefix
    if not base[0].isalpha():
        base = f"{prefix}_{base}"[:50]
    unavailable = set(taken) | RESERVED_KEYS
    key, number = base, 2
    while key in unavailable:
        key, number = f"{base}_{number}", number + 1
    return key


def keep_edit(
    authority: Authority, draft_lock: str | None, change: Callable[[Document], None], *, what: str
) -> list[str]:
    """Apply ``change`` to the draft; the problems that stopped it ([] when it was kept).

    ``draft_lock`` is what the form carried: "new" (no draft when it was shown) or a lock_version.
    """
    try:
        process_drafts.edit_draft(authority, current_user, change, what=what[:100], lock=draft_lock)
    except process_drafts.EditRefusedError as refusal:
        return refusal.problems
    except process_drafts.DraftConflictError:
        return [STALE_DRAFT]
    return []


class LockedButtonForm(FlaskForm):
    """A button that changes the draft (remove a deadline, add an academic year): the CSRF token
    and the draft's lock when the page was shown."""

    draft_lock = HiddenField()
    submit = SubmitField("Continue", widget=GovSubmitInput())
