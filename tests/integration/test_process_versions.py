"""Administrators change their authority's process in the portal: drafts, validation with the
TOML files' messages, publication as a new version, open PEPs keeping or moving versions,
roll-back, and TOML export and import."""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.authorities.loader import AuthorityConfigError, load_file
from portal.authorities.schema import AuthorityConfig, PepKind, Role, Term
from portal.authorities.toml_io import from_toml, to_toml
from portal.extensions import db
from portal.models import (
    AuditEvent,
    Authority,
    AuthorityConfigDraft,
    AuthorityConfigVersion,
    Pep,
    PepDeadline,
)
from portal.services.authorities import config_for, sync_from_files
from portal.services.workflow import start_pep
from tests.factories import csrf_token, make_child, make_setting, make_user, sign_in

SHIPPED = sorted(p.stem for p in Path("config/authorities").glob("*.toml"))
MEETING = dt.date(2026, 11, 2)


def draft_lock(page: str) -> str:
    match = re.search(r'name="draft_lock"[^>]*value="([^"]+)"', page)
    assert match, "page has no draft lock"
    return match.group(1)


def submit_toml(client: FlaskClient, slug: str, text: str) -> tuple[int, str]:
    page = client.get(f"/a/{slug}/admin/process/draft/toml").text
    response = client.post(
        f"/a/{slug}/admin/process/draft/toml",
        data={"csrf_token": csrf_token(page), "draft_lock": draft_lock(page), "toml": text},
        follow_redirects=True,
    )
    return response.status_code, response.text


def with_setting_deadline(config: AuthorityConfig, days: int) -> str:
    document = config.model_dump(mode="python", by_alias=True, exclude_none=True)
    rule = next(d for d in document["deadlines"] if d["key"] == "setting_completes")
    rule["offset"]["amount"] = days
    return to_toml(AuthorityConfig.model_validate(document))


def publish(client: FlaskClient, slug: str, note: str, open_peps: str = "keep") -> str:
    page = client.get(f"/a/{slug}/admin/process/draft").text
    response = client.post(
        f"/a/{slug}/admin/process/draft/publish",
        data={
            "csrf_token": csrf_token(page),
            "draft_lock": draft_lock(page),
            "note": note,
            "open_peps": open_peps,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.text


def setting_deadline(pep: Pep) -> dt.date | None:
    db.session.expire_all()
    return db.session.scalar(
        select(PepDeadline.due_on).where(
            PepDeadline.pep_id == pep.id, PepDeadline.rule_key == "setting_completes"
        )
    )


def new_pep(authority: Authority, name: str) -> Pep:
    child = make_child(authority, name, setting=make_setting(f"{name} School"))
    pep = start_pep(
        child,
        kind=PepKind.TERMLY_REVIEW,
        academic_year=2026,
        term=Term.AUTUMN,
        actor=None,
        meeting_date=MEETING,
    )
    assert pep is not None
    return pep


# --- Export and import -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_export_import_export_gives_the_same_configuration(
    app: Flask, authorities: dict[str, Authority], slug: str
) -> None:
    authority = authorities[slug]
    admin = make_user(email=f"admin@{slug}.example", roles=[(Role.AUTHORITY_ADMIN, authority)])
    client = app.test_client()
    sign_in(client, admin.email)
    exported = client.get(f"/a/{slug}/admin/process/export.toml")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    # Identical in meaning to what was published, and to the authority's file.
    assert from_toml(exported.text, source="export") == config_for(authority)
    assert (
        from_toml(exported.text, source="export") == load_file(Path(f"config/authorities/{slug}.toml")).config
    )

    page = client.get(f"/a/{slug}/admin/process/import").text
    imported = client.post(
        f"/a/{slug}/admin/process/import",
        data={"csrf_token": csrf_token(page), "toml_file": (io.BytesIO(exported.data), f"{slug}.toml")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert f"{slug}.toml is valid" in imported.text
    assert "Your draft is the same as the current version" in imported.text
    again = client.get(f"/a/{slug}/admin/process/export.toml")
    assert again.text == exported.text


def test_an_invalid_import_is_refused_with_the_files_messages_and_changes_nothing(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    text = to_toml(config_for(lancashire)).replace(
        'met_at_step = "social_worker_checking"', 'met_at_step = "nowhere"'
    )
    with pytest.raises(AuthorityConfigError) as as_file:
        from_toml(text, source="lancashire.toml")
    page = admin_client.get("/a/lancashire/admin/process/import").text
    response = admin_client.post(
        "/a/lancashire/admin/process/import",
        data={"csrf_token": csrf_token(page), "toml_file": (io.BytesIO(text.encode()), "lancashire.toml")},
        content_type="multipart/form-data",
    )
    assert response.text.startswith("<!DOCTYPE html>")
    assert "<title>Error: Import a process file" in response.text
    for problem in as_file.value.problems:
        assert problem in html.unescape(response.text)
    assert "no reachable step called &#39;nowhere&#39;" in response.text
    assert db.session.scalar(select(func.count()).select_from(AuthorityConfigDraft)) == 0


# --- Drafts: every edit validated by the schema ---------------------------------------------------


def test_an_invalid_edit_gets_the_same_messages_as_an_invalid_toml_file_and_nothing_changes(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    before = lancashire.current_config_version_id
    text = to_toml(config_for(lancashire)).replace(
        'responsible = "designated_teacher"', 'responsible = "head_cook"', 1
    )
    with pytest.raises(AuthorityConfigError) as as_file:
        from_toml(text, source="draft")
    status, page = submit_toml(admin_client, "lancashire", text)
    assert status == 200
    assert "This change cannot be made" in page and "<title>Error:" in page
    expected = as_file.value.problems[0].removeprefix("draft: ")
    assert expected in html.unescape(page)
    assert "head_cook" in page  # what was typed is shown back
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuthorityConfigDraft)) == 0
    assert db.session.get(Authority, lancashire.id).current_config_version_id == before


def test_an_edit_made_on_a_stale_page_is_refused(admin_client: FlaskClient, lancashire: Authority) -> None:
    page = admin_client.get("/a/lancashire/admin/process/draft/toml").text
    status, _ = submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 12))
    assert status == 200
    stale = admin_client.post(
        "/a/lancashire/admin/process/draft/toml",
        data={
            "csrf_token": csrf_token(page),
            "draft_lock": draft_lock(page),
            "toml": with_setting_deadline(config_for(lancashire), 30),
        },
    )
    assert "Someone else changed the draft" in stale.text
    db.session.expire_all()
    draft = db.session.scalar(select(AuthorityConfigDraft))
    rule = next(d for d in draft.document["deadlines"] if d["key"] == "setting_completes")
    assert rule["offset"]["amount"] == 12


# --- Publishing -----------------------------------------------------------------------------------


def test_publishing_makes_a_new_version_new_peps_follow_and_open_peps_keep_theirs(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    open_pep = new_pep(lancashire, "Olive")
    old_due = setting_deadline(open_pep)
    assert old_due == dt.date(2026, 11, 16)  # 10 working days after 2 November

    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    review = admin_client.get(
        "/a/lancashire/admin/process/draft?meeting_date=2&meeting_date=11"
        "&meeting_date=2026&kind=termly_review&emergency=no"
    ).text
    assert "Deadlines › PEP completed by the setting › offset › amount" in html.unescape(review)
    assert "Changed" in review
    assert "23 November 2026" in review  # the sample child's new date: 15 working days after 2 November
    assert "PEPs in progress: 1, of which 1 could move" in review

    done = publish(admin_client, "lancashire", "Settings get 15 working days, agreed at the PEP board")
    assert "Version 2 is published" in done
    assert "Settings get 15 working days" in done
    db.session.expire_all()
    authority = db.session.get(Authority, lancashire.id)
    version = authority.current_config_version
    assert (version.version, version.source, version.created_by.full_name) == (2, "published", "Ada Admin")
    assert db.session.scalar(select(func.count()).select_from(AuthorityConfigDraft)) == 0
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "process.published")) is not None

    assert setting_deadline(open_pep) == old_due
    assert db.session.get(Pep, open_pep.id).config_version.version == 1
    later = new_pep(authority, "Nina")
    assert later.config_version.version == 2
    assert setting_deadline(later) == dt.date(2026, 11, 23)


def test_moving_open_peps_on_recounts_their_deadlines(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    open_pep = new_pep(lancashire, "Olive")
    finalised = new_pep(lancashire, "Fred")
    finalised.finalised_at = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    db.session.commit()
    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    publish(admin_client, "lancashire", "Longer for settings", open_peps="move")
    db.session.expire_all()
    assert db.session.get(Pep, open_pep.id).config_version.version == 2
    assert setting_deadline(open_pep) == dt.date(2026, 11, 23)
    assert db.session.get(Pep, finalised.id).config_version.version == 1
    moved = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "process.peps_moved"))
    assert moved.details["moved"] == 1


def test_a_pep_whose_step_is_gone_stays_on_its_version(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    pep = new_pep(lancashire, "Olive")
    pep.state = "gone_step"
    db.session.commit()
    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    review = admin_client.get("/a/lancashire/admin/process/draft").text
    assert "Stays: its step or template is not in the new version" in review
    publish(admin_client, "lancashire", "Longer for settings", open_peps="move")
    db.session.expire_all()
    assert db.session.get(Pep, pep.id).config_version.version == 1


def test_publishing_needs_a_note_and_keeps_the_draft(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    page = publish(admin_client, "lancashire", "")
    assert "Enter what changed and why" in page
    db.session.expire_all()
    assert db.session.get(Authority, lancashire.id).current_config_version.version == 1
    assert db.session.scalar(select(func.count()).select_from(AuthorityConfigDraft)) == 1


def test_a_draft_overtaken_by_another_publication_is_not_published(
    app: Flask, admin_client: FlaskClient, lancashire: Authority
) -> None:
    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    page = admin_client.get("/a/lancashire/admin/process/draft").text
    # Meanwhile a deployment changes the file: version 2 comes from it.
    document = copy.deepcopy(lancashire.current_config_version.document)
    document["authority"]["contact_email"] = "pep@lancashire.example"
    from portal.services.authorities import canonical_document, content_hash

    version = AuthorityConfigVersion(
        authority_id=lancashire.id,
        version=2,
        document=document,
        content_hash=content_hash(document),
        source="file",
    )
    db.session.add(version)
    db.session.flush()
    lancashire.current_config_version = version
    db.session.commit()
    assert canonical_document(config_for(lancashire)) == document
    response = admin_client.post(
        "/a/lancashire/admin/process/draft/publish",
        data={
            "csrf_token": csrf_token(page),
            "draft_lock": draft_lock(page),
            "note": "x",
            "open_peps": "keep",
        },
        follow_redirects=True,
    )
    assert "Another version was published after these changes were started" in response.text
    db.session.expire_all()
    assert db.session.get(Authority, lancashire.id).current_config_version.version == 2


def test_restarting_does_not_undo_what_an_administrator_published(
    app: Flask, admin_client: FlaskClient, lancashire: Authority
) -> None:
    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    publish(admin_client, "lancashire", "Longer for settings")
    assert sync_from_files(app.extensions["authority_files"]) == []
    db.session.expire_all()
    assert db.session.get(Authority, lancashire.id).current_config_version.version == 2


# --- Versions and roll-back -------------------------------------------------------------------------


def test_a_version_shows_its_diff_and_rolling_back_publishes_the_earlier_process(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    original = lancashire.current_config_version.content_hash
    submit_toml(admin_client, "lancashire", with_setting_deadline(config_for(lancashire), 15))
    publish(admin_client, "lancashire", "Longer for settings")
    history = admin_client.get("/a/lancashire/admin/process").text
    assert "Version 2" in history and "Longer for settings" in history and "Ada Admin" in history
    shown = html.unescape(admin_client.get("/a/lancashire/admin/process/versions/2").text)
    assert "Deadlines › PEP completed by the setting › offset › amount" in shown
    assert re.search(r">\s*10\s*<.*>\s*15\s*<", shown, re.S)

    page = admin_client.get("/a/lancashire/admin/process/versions/1").text
    refused = admin_client.post(
        "/a/lancashire/admin/process/versions/1/roll-back",
        data={"csrf_token": csrf_token(page), "note": "", "open_peps": "keep"},
    )
    assert "Enter why you are rolling back" in refused.text
    done = admin_client.post(
        "/a/lancashire/admin/process/versions/1/roll-back",
        data={"csrf_token": csrf_token(page), "note": "The board changed its mind", "open_peps": "keep"},
        follow_redirects=True,
    )
    assert "Version 3 is published with the process of version 1" in done.text
    db.session.expire_all()
    current = db.session.get(Authority, lancashire.id).current_config_version
    assert (current.version, current.source, current.content_hash) == (3, "rollback", original)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuthorityConfigVersion)
            .where(AuthorityConfigVersion.authority_id == lancashire.id)
        )
        == 3
    )
    assert admin_client.get("/a/lancashire/admin/process/versions/9").status_code == 404


def test_the_version_pages_show_only_this_authoritys_versions(
    admin_client: FlaskClient, authorities: dict[str, Authority]
) -> None:
    bradford_version = admin_client.get("/a/bradford/admin/process/versions/1")
    assert bradford_version.status_code == 403
    assert admin_client.get("/a/bradford/admin/process/export.toml").status_code == 403


def test_the_version_history_costs_the_same_for_2_and_12_versions(
    admin_client: FlaskClient, lancashire: Authority
) -> None:
    from portal.services.authorities import content_hash
    from tests.queries import count_queries

    counts = []
    for total in (2, 12):
        latest = db.session.scalar(
            select(func.max(AuthorityConfigVersion.version)).where(
                AuthorityConfigVersion.authority_id == lancashire.id
            )
        )
        for number in range(latest + 1, total + 1):
            author = make_user(f"Publisher {number}", email=f"publisher{number}@lancs.example")
            document = copy.deepcopy(lancashire.current_config_version.document)
            document["authority"]["contact_email"] = f"pep{number}@lancashire.example"
            db.session.add(
                AuthorityConfigVersion(
                    authority_id=lancashire.id,
                    version=number,
                    document=document,
                    content_hash=content_hash(document),
                    source="published",
                    created_by_id=author.id,
                    note=f"Change {number}",
                )
            )
        db.session.commit()
        admin_client.get("/a/lancashire/admin/process")  # the process is parsed once per process: warm it
        with count_queries(db.engine) as statements:
            page = admin_client.get("/a/lancashire/admin/process")
        assert page.status_code == 200
        assert f"Publisher {total}" in page.text and f"Change {total}" in page.text
        counts.append(len(statements))
    assert counts[0] == counts[1]
