"""URL converters. The tenant comes from the URL, resolved here, never from the session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from werkzeug.routing import BaseConverter, ValidationError

from portal.authorities.schema import SLUG_PATTERN


class AuthorityConverter(BaseConverter):
    """``<authority:authority>``: a slug in the URL, an Authority in the view, or 404."""

    regex = r"[a-z][a-z0-9-]*"

    def to_python(self, value: str) -> Any:
        from portal.extensions import db
        from portal.models import Authority

        if not SLUG_PATTERN.match(value):
            raise ValidationError()
        authority = db.session.scalar(select(Authority).where(Authority.slug == value))
        if authority is None:
            raise ValidationError()
        return authority

    def to_url(self, value: Any) -> str:
        return value if isinstance(value, str) else value.slug
