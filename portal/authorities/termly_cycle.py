"""What an authority does at the start of each term: new termly review PEPs and the PEP window."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from portal.authorities.process import Direction, Offset
from portal.authorities.vocabulary import Role, Strict


class WindowEnd(StrEnum):
    """When a term's PEP window closes: the date by which the term's PEPs should be done."""

    #: The authority's submission date for the term (calendar.submission_dates), e.g. 7 December
    #: (source 001).
    SUBMISSION_DATE = "submission_date"
    #: The start of the half-term holiday: PEPs are held in the first half of each term (source
    #: 003).
    HALF_TERM = "half_term"
    TERM_END = "term_end"

    @property
    def phrase(self) -> str:
        return {
            WindowEnd.SUBMISSION_DATE: "the term's submission date",
            WindowEnd.HALF_TERM: "half term",
            WindowEnd.TERM_END: "the end of term",
        }[self]


class TermlyCycle(Strict):
    """The start-of-term run (``flask peps termly-cycle``) and the window shown on dashboards."""

    #: Start a termly review PEP for every child who had a PEP before and has none for the term.
    #: Children with no PEP at all need an initial PEP, which their social worker starts.
    start_peps: bool = True
    #: A provisional meeting date counted from the start of term, for PEPs the cycle starts.
    provisional_meeting: Offset | None = None
    #: Who hears that a child's PEP for the new term has started.
    notify: list[Role] = Field(default_factory=lambda: [Role.SOCIAL_WORKER])
    window_ends: WindowEnd = WindowEnd.TERM_END
    #: The setting working on a PEP may read the child's previous finalised PEP (source 003 step 1
    #: sends it with the new term's form; source 002 asks schools to review previous PEPs).
    share_previous_pep: bool = True

    @model_validator(mode="after")
    def _meeting_after_term_start(self) -> Self:
        if self.provisional_meeting and self.provisional_meeting.direction is not Direction.AFTER:
            raise ValueError(
                "provisional_meeting is counted after the start of term: direction must be after"
            )
        return self
