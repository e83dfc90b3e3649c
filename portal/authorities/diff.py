"""What changed between two versions of an authority's process, in words an administrator reads.

Both sides are configuration documents (AuthorityConfig dumped to JSON form). Lists of items
that carry an identity (a ``key``, a term, an academic year, a choice's value) are matched by it,
so moving or editing one deadline is reported as that deadline's change, not as every later
item of the list changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Fields that identify an item of a list, in the order they are looked for.
IDENTITY_FIELDS = ("key", "year", "term", "value")
#: Fields that name an item for people, used when a whole item is added or removed.
NAME_FIELDS = ("label", "title", "name", "year", "term", "key", "value")


@dataclass(frozen=True)
class Change:
    #: Where, by key, e.g. ("deadlines", "setting_completes", "offset", "amount").
    path: tuple[str, ...]
    #: The same place by name where the item has one, e.g. (..., "Setting completes the PEP", ...).
    labels: tuple[str, ...]
    kind: str  # "added", "removed" or "changed"
    before: str = ""
    after: str = ""

    @property
    def where(self) -> str:
        return " › ".join(label.replace("_", " ") for label in self.labels)

    @property
    def area(self) -> str:
        return self.path[0] if self.path else ""


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every difference between two configuration documents, in document order."""
    changes: list[Change] = []
    _compare(Place((), ()), before, after, changes)
    return changes


@dataclass(frozen=True)
class Place:
    path: tuple[str, ...]
    labels: tuple[str, ...]

    def child(self, key: str, item: Any = None) -> Place:
        label = _label(item) if isinstance(item, dict) else None
        return Place((*self.path, key), (*self.labels, label or key))


def _label(item: dict[str, Any]) -> str | None:
    return next((str(item[f]) for f in ("label", "title", "name") if f in item), None)


def _compare(place: Place, before: Any, after: Any, changes: list[Change]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*before, *(k for k in after if k not in before)]:
            if key not in after:
                here = place.child(str(key), before[key])
                changes.append(Change(here.path, here.labels, "removed", before=show(before[key])))
            elif key not in before:
                here = place.child(str(key), after[key])
                changes.append(Change(here.path, here.labels, "added", after=show(after[key])))
            else:
                _compare(place.child(str(key), after[key]), before[key], after[key], changes)
    elif isinstance(before, list) and isinstance(after, list) and _identified(before + after):
        _compare_items(place, before, after, changes)
    elif before != after:
        changes.append(Change(place.path, place.labels, "changed", before=show(before), after=show(after)))


def _identity(item: dict[str, Any]) -> str | None:
    return next((str(item[f]) for f in IDENTITY_FIELDS if f in item), None)


def _identified(items: list[Any]) -> bool:
    """Items can be matched by identity: all are dicts that carry one."""
    return bool(items) and all(isinstance(i, dict) and _identity(i) is not None for i in items)


def _compare_items(place: Place, before: list[Any], after: list[Any], changes: list[Change]) -> None:
    old = {_identity(i): i for i in before}
    new = {_identity(i): i for i in after}
    if len(old) != len(before) or len(new) != len(after):  # repeated identities: compare as values
        if before != after:
            changes.append(
                Change(place.path, place.labels, "changed", before=show(before), after=show(after))
            )
        return
    for identity, item in old.items():
        here = place.child(str(identity), new.get(identity, item))
        if identity not in new:
            changes.append(Change(here.path, here.labels, "removed", before=name_of(item)))
        else:
            _compare(here, item, new[identity], changes)
    for identity, item in new.items():
        if identity not in old:
            here = place.child(str(identity), item)
            changes.append(Change(here.path, here.labels, "added", after=name_of(item)))
    kept_old = [i for i in old if i in new]
    kept_new = [i for i in new if i in old]
    if kept_old != kept_new:
        here = place.child("order")
        changes.append(Change(here.path, here.labels, "changed", ", ".join(kept_old), ", ".join(kept_new)))


def name_of(item: dict[str, Any]) -> str:
    for field in NAME_FIELDS:
        if field in item:
            return str(item[field])
    return "; ".join(f"{k}: {show(v)}" for k, v in item.items())


def show(value: Any, limit: int = 160) -> str:
    """A short, readable rendering of a value."""
    if value is None:
        text = "(not set)"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, list):
        text = ", ".join(name_of(v) if isinstance(v, dict) else show(v) for v in value) or "(none)"
    elif isinstance(value, dict):
        text = name_of(value)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
