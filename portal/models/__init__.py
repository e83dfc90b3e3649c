"""SQLAlchemy models, one module per aggregate. Importing this package registers every table."""

from portal.models.audit import AuditEvent
from portal.models.authority import Authority, AuthorityConfigDraft, AuthorityConfigVersion
from portal.models.child import Child
from portal.models.funding import PpPlusDecision, PpPlusRequest
from portal.models.imports import CsvImport
from portal.models.invitation import Invitation
from portal.models.notices import DeadlineNotice, NoticeDigest, NoticeDigestWeek, NoticeFrequency, NoticeKind
from portal.models.outbox import OutboxMessage
from portal.models.people import LoginAttempt, Membership, User
from portal.models.pep import Pep, PepKind, PepSectionEntry
from portal.models.setting import EducationSetting, SettingType
from portal.models.setting_work import PepAttachment, PepDelegation
from portal.models.workflow import PepDeadline, PepStateChange, QaReview

__all__ = [
    "AuditEvent",
    "Authority",
    "AuthorityConfigDraft",
    "AuthorityConfigVersion",
    "Child",
    "CsvImport",
    "DeadlineNotice",
    "EducationSetting",
    "Invitation",
    "LoginAttempt",
    "Membership",
    "NoticeDigest",
    "NoticeDigestWeek",
    "NoticeFrequency",
    "NoticeKind",
    "OutboxMessage",
    "Pep",
    "PepAttachment",
    "PepDeadline",
    "PepDelegation",
    "PepKind",
    "PepSectionEntry",
    "PepStateChange",
    "PpPlusDecision",
    "PpPlusRequest",
    "QaReview",
    "SettingType",
    "User",
]
