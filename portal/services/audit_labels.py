"""The audit trail in plain words: what each action code means, what each subject is called, and a
short reading of an event's details.

One mapping of action code -> label, so the page, the filter and the exports say the same thing.
Whoever adds an ``audit.record("...")`` adds its label here; until then the code is shown in
words ("Settings imported" for ``settings.imported``), so an unknown code never breaks the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ACTION_LABELS: dict[str, str] = {
    "signed_in": "Signed in",
    "signed_out": "Signed out",
    "child.viewed": "Viewed a child's record",
    "child.became_looked_after": "Recorded a child as looked after",
    "child.case_transferred": "Transferred a case to another social worker",
    "child.moved_setting": "Recorded a move to a new education setting",
    "child.education_contact_recorded": "Recorded an education contact",
    "child.left_care": "Recorded that a child left care",
    "pep.viewed": "Viewed a PEP",
    "pep.started": "Started a PEP",
    "pep.section_saved": "Saved a PEP section",
    "pep.transition": "Moved a PEP to its next step",
    "pep.next_not_started": "Next PEP not started automatically",
    "pep.meeting_arranged": "Arranged a PEP meeting",
    "pep.setting_chased": "Chased the education setting",
    "pep.attachment_added": "Added a document to a PEP",
    "pep.attachment_downloaded": "Downloaded a PEP document",
    "pep.downloaded": "Downloaded a PEP (PDF or Word)",
    "pep.child_summary_downloaded": "Downloaded a child's summary of their targets",
    "pep.delegated_to_colleague": "Gave a colleague access to a PEP",
    "pep.delegation_ended": "Ended a colleague's access to a PEP",
    "pep.graded": "Graded a PEP (quality assurance)",
    "pp_plus.decided": "Decided PP+ requests",
    "pp_plus.decision_cleared": "PP+ decision cleared by a changed request",
    "compliance.exported": "Exported a compliance table",
    "audit.exported": "Exported the audit trail",
    "process.draft_started": "Started a draft of the process",
    "process.draft_edited": "Changed the draft of the process",
    "process.draft_discarded": "Discarded the draft of the process",
    "process.published": "Published a new process version",
    "process.rollback": "Rolled back to an earlier process version",
    "process.template": "Created the process from another authority's",
    "process.file": "Loaded the process from its configuration file",
    "process.peps_moved": "Moved open PEPs to a new process version",
    "process.exported": "Exported the process as a file",
    "authority.created": "Created an authority",
    "invitation.created": "Invited someone",
    "invitation.replaced": "Sent a new invitation in place of an old one",
    "invitation.revoked": "Withdrew an invitation",
    "invitation.accepted": "Accepted an invitation",
    "people.role_given": "Gave someone a role",
    "people.role_removed": "Removed someone's role",
    "people.disabled": "Disabled an account",
    "people.enabled": "Enabled an account",
    "setting.added": "Added an education setting",
    "setting.updated": "Changed an education setting",
    "import.uploaded": "Uploaded a CSV file to import",
    "import.applied": "Imported a CSV file",
}

#: subject_type (the model's class name) -> what a person calls it.
SUBJECT_LABELS: dict[str, str] = {
    "Pep": "PEP",
    "Child": "Child",
    "User": "User",
    "EducationSetting": "Education setting",
    "AuthorityConfigVersion": "Process version",
    "AuthorityConfigDraft": "Process draft",
    "Invitation": "Invitation",
    "CsvImport": "CSV import",
    "Membership": "Role",
}

#: Details keys whose value is better read with a longer name.
DETAIL_NAMES: dict[str, str] = {
    "from_state": "from step",
    "to_state": "to step",
    "transition": "step taken",
    "page": "page",
    "section": "section",
    "filter_from": "from",
    "filter_to": "to",
    "filter_person": "person searched for",
    "filter_action": "action",
    "filter_subject_type": "about",
    "filter_subject_id": "number",
}

SUMMARY_LIMIT = 160


def _words(code: str) -> str:
    """``settings.csv_imported`` -> "Settings csv imported": a code read aloud."""
    text = code.replace(".", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Unknown action"


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code) or _words(code)


def subject_type_label(subject_type: str | None) -> str:
    if not subject_type:
        return "Nothing in particular"
    if subject_type in SUBJECT_LABELS:
        return SUBJECT_LABELS[subject_type]
    # "EducationSetting" -> "Education setting"
    spaced = "".join(f" {c.lower()}" if c.isupper() and i else c for i, c in enumerate(subject_type))
    return spaced[:1].upper() + spaced[1:]


def subject_text(subject_type: str | None, subject_id: int | None) -> str:
    """ "PEP 123", "Child 45": identifiers only, never a name."""
    if not subject_type:
        return ""
    label = subject_type_label(subject_type)
    return f"{label} {subject_id}" if subject_id is not None else label


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "none"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items()) or "none"
    if value is None or value == "":
        return "none"
    return str(value).replace("_", " ")


def details_summary(details: Mapping[str, Any] | None) -> str:
    """ "step taken: submit; from step: with setting; to step: awaiting qa", cut short if long."""
    if not details:
        return ""
    parts = [
        f"{DETAIL_NAMES.get(key, key.replace('_', ' '))}: {_value(value)}" for key, value in details.items()
    ]
    text = "; ".join(parts)
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"
