"""Loading the PEP named in a URL, for people who may see it and nobody else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from portal import access
from portal.models import Authority
from portal.services import pep_page


def with_visible_pep(view: Callable[..., Any]) -> Callable[..., Any]:
    """Declare the PEP access rule and pass the view ``pep`` instead of ``pep_id``.

    404 rather than 403 when the PEP exists but is not theirs: the answer must not confirm that
    a child's plan exists to someone who may not see it.
    """

    @wraps(view)
    def wrapper(authority: Authority, pep_id: int, **kwargs: Any) -> Any:
        pep = pep_page.find_pep(authority, pep_id)
        if pep is None or not pep_page.can_view(current_user, pep):  # type: ignore[arg-type]
            abort(404)
        return view(authority=authority, pep=pep, **kwargs)

    return access.pep_viewers(wrapper)
