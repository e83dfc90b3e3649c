"""The administrator's routes, for the authorization matrix: each admin area lists its own here.

Paths are under ``/a/<slug>/admin`` and may name ``{user}`` (a Lancashire social worker's user id)
``{setting}`` (a school with children of both authorities) and ``{csv_import}`` (a file Lancashire's
administrator uploaded) from the matrix's world.
"""

from __future__ import annotations

#: endpoint -> path of a page only the authority's administrators may open.
ADMIN_PAGES: dict[str, str] = {
    "admin.overview": "/",
    "admin.process": "/process",
    "admin.review_draft": "/process/draft",
    "admin.edit_toml": "/process/draft/toml",
    "admin.import_process": "/process/import",
    "admin.export_process": "/process/export.toml",
    "admin.version": "/process/versions/1",
    "admin.export_version": "/process/versions/1.toml",
    "admin.deadlines": "/process/draft/deadlines",
    "admin.new_deadline": "/process/draft/deadlines/new",
    "admin.edit_deadline": "/process/draft/deadlines/setting_completes",
    "admin.term_dates": "/process/draft/term-dates",
    "admin.edit_academic_year": "/process/draft/term-dates/2025-26",
    "admin.new_academic_year": "/process/draft/term-dates/next-year",
    "admin.submission_dates": "/process/draft/term-dates/submission-dates",
    "admin.funding": "/process/draft/funding",
    "admin.quality_assurance_config": "/process/draft/quality-assurance",
    "admin.termly_cycle": "/process/draft/termly-cycle",
    "admin.sections": "/process/draft/sections",
    "admin.edit_section_config": "/process/draft/sections/send",
    "admin.workflow": "/process/draft/workflow",
    "admin.audit_trail_page": "/audit",
    "admin.audit_trail_export": "/audit/export.csv",
    "admin.settings": "/settings",
    "admin.new_setting": "/settings/new",
    "admin.edit_setting": "/settings/{setting}",
    "admin.imports_page": "/imports",
    "admin.import_preview": "/imports/{csv_import}",
    "admin.people": "/people",
    "admin.invite_person": "/people/invite",
    "admin.person": "/people/{user}",
}

#: endpoint -> (path, form data) of a change only the authority's administrators may make. The
#: matrix posts each as every other role, and as another authority's administrator, and checks
#: that nothing changes.
ADMIN_POSTS: dict[str, tuple[str, dict[str, str]]] = {
    "admin.start_draft": ("/process/draft", {}),
    "admin.edit_toml": ("/process/draft/toml", {"toml": "x = 1", "draft_lock": "new"}),
    "admin.publish": ("/process/draft/publish", {"note": "n", "open_peps": "move", "draft_lock": "1"}),
    "admin.discard_draft": ("/process/draft/discard", {}),
    "admin.import_process": ("/process/import", {}),
    "admin.roll_back": ("/process/versions/1/roll-back", {"note": "n", "open_peps": "move"}),
    "admin.new_deadline": (
        "/process/draft/deadlines/new",
        {
            "label": "Matrix deadline",
            "event": "meeting",
            "offset_amount": "5",
            "offset_unit": "working_days",
            "offset_direction": "after",
            "kinds": "initial",
            "emergency": "both",
            "met_at_step": "social_worker_checking",
            "responsible": "social_worker",
            "draft_lock": "new",
        },
    ),
    "admin.edit_deadline": (
        "/process/draft/deadlines/setting_completes",
        {
            "label": "Renamed",
            "event": "meeting",
            "offset_amount": "5",
            "offset_unit": "working_days",
            "offset_direction": "after",
            "kinds": "initial",
            "emergency": "both",
            "met_at_step": "social_worker_checking",
            "responsible": "social_worker",
            "draft_lock": "new",
        },
    ),
    "admin.remove_deadline": ("/process/draft/deadlines/setting_completes/remove", {"draft_lock": "new"}),
    "admin.edit_academic_year": (
        "/process/draft/term-dates/2025-26",
        {
            **{
                f"{term}_{part}": value
                for term, dates in {
                    "autumn": ("4 9 2025", "18 12 2025"),
                    "spring": ("5 1 2026", "2 4 2026"),
                    "summer": ("20 4 2026", "21 7 2026"),
                }.items()
                for part, value in zip(("starts", "ends"), dates, strict=True)
            },
            "draft_lock": "new",
        },
    ),
    "admin.new_academic_year": ("/process/draft/term-dates/next-year", {"draft_lock": "new"}),
    "admin.add_closure": (
        "/process/draft/term-dates/closures",
        {"closure": "27 3 2026", "draft_lock": "new"},
    ),
    "admin.remove_closure": ("/process/draft/term-dates/closures/2026-03-27/remove", {"draft_lock": "new"}),
    "admin.submission_dates": (
        "/process/draft/term-dates/submission-dates",
        {"use": "no", "draft_lock": "new"},
    ),
    "admin.funding": (
        "/process/draft/funding",
        {"pp_plus_per_term": "600", "per_target_costing": "yes", "minimum_grade": "", "draft_lock": "new"},
    ),
    "admin.quality_assurance_config": (
        "/process/draft/quality-assurance",
        {"grade_each_criterion": "yes", "sampling_mode": "all", "action": "keep", "draft_lock": "new"},
    ),
    "admin.termly_cycle": (
        "/process/draft/termly-cycle",
        {
            "start_peps": "yes",
            "window_ends": "half_term",
            "notify": "virtual_school",
            "share_previous_pep": "no",
            "draft_lock": "new",
        },
    ),
    "admin.edit_section_config": (
        "/process/draft/sections/send",
        {
            "title": "Renamed",
            "owner": "social_worker",
            "readers_scope": "everyone",
            "send_status-label": "Status",
            "send_status-required": "yes",
            "needs-label": "Needs",
            "needs-required": "no",
            "ehcp_review_date-label": "Review",
            "ehcp_review_date-required": "no",
            "draft_lock": "new",
        },
    ),
    "admin.move_section": (
        "/process/draft/sections/move",
        {
            "phase": "primary",
            "section": "health",
            "direction": "up",
            "order": "personal_information,health,education_setting,send,attendance,exclusions,"
            "attainment_and_progress,childs_views,review_of_previous_targets,smart_targets,"
            "pupil_premium_plus,transition,meeting_attendees,meeting_summary_and_actions,"
            "social_worker_check",
        },
    ),
    "admin.add_section_rule": (
        "/process/draft/sections/smart_targets/rules",
        {"rule-field": "targets", "rule-minimum": "3", "rule-message": "m", "rule-draft_lock": "new"},
    ),
    "admin.remove_section_rule": (
        "/process/draft/sections/smart_targets/rules/0/remove",
        {"draft_lock": "new"},
    ),
    "admin.workflow": (
        "/process/draft/workflow",
        {
            "step-initiated-label": "Renamed",
            "step-initiated-actors": "social_worker",
            "step-initiated-editors_scope": "actors",
            "transition-approve-label": "Approve",
            "transition-approve-roles": "virtual_school",
            "transition-approve-needs_comment": "no",
            "draft_lock": "new",
        },
    ),
    "admin.add_setting": (
        "/settings/new",
        {"urn": "100002", "name": "Matrix College", "setting_type": "college"},
    ),
    "admin.update_setting": ("/settings/{setting}", {"name": "Renamed", "setting_type": "primary"}),
    "admin.upload_import": ("/imports", {"kind": "settings"}),
    "admin.confirm_import": ("/imports/{csv_import}/confirm", {"fingerprint": "x"}),
    "admin.invite_person": (
        "/people/invite",
        {"full_name": "Matrix Invitee", "email": "invitee@m.example", "role": "social_worker"},
    ),
    "admin.revoke_invitation": ("/people/invitations/1/revoke", {}),
    "admin.give_role": ("/people/{user}/roles", {"role": "business_support", "setting_id": ""}),
    "admin.remove_role": ("/people/{user}/roles/remove", {"membership": "1"}),
    "admin.disable_account": ("/people/{user}/disable", {}),
    "admin.enable_account": ("/people/{user}/enable", {}),
}
