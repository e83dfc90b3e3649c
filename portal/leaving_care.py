"""Why a child stopped being looked after: the fixed list of reasons, each with its plain-words label.

Kept free of Flask and the database: the model stores the code, forms and pages show the label.
"""

from __future__ import annotations

#: Reason code (stored in ``children.left_care_reason``) -> what a person reads.
LEFT_CARE_REASONS: dict[str, str] = {
    "returned_home": "Returned home to their family",
    "adopted": "Adopted",
    "special_guardianship": "Special guardianship order",
    "child_arrangements": "Child arrangements order",
    "turned_18": "Turned 18",
    "moved_authority": "Now looked after by another authority",
    "other": "Another reason",
}


def reason_label(code: str | None) -> str:
    """The label of a stored reason; an unknown code is shown as it is rather than hidden."""
    if not code:
        return "Not recorded"
    return LEFT_CARE_REASONS.get(code, code.replace("_", " "))
