"""An administrator invites a new social worker in a real browser; the invitee opens the link from
the e-mail in the outbox, sets a password and lands signed in on their page. Every page visited,
and the designated teacher's colleagues page, passes an axe scan."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.usefixtures("demo_world")

INVITEE = "nia.new@lancashire.example"


def invitation_link(app: Flask) -> str:
    with app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient_email == INVITEE, OutboxMessage.message == "invitation")
            .order_by(OutboxMessage.id.desc())
        )
    assert body is not None, "no invitation in the outbox"
    return re.search(r"/invitations/[A-Za-z0-9_-]+", body).group(0)


def test_an_invited_social_worker_sets_a_password_and_lands_signed_in(
    page: Page, live_server: str, browser, app: Flask
) -> None:
    sign_in(page, live_server, "admin@lancashire.example")
    page.goto(f"{live_server}/a/lancashire/admin/")
    page.get_by_role("link", name="Manage people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)

    page.get_by_label("Name or email address").fill("social.worker1")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody tr").get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name="Give a role")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/a/lancashire/admin/people")
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter their email address")
    expect(page).to_have_title(re.compile("^Error: Invite someone"))
    expect(page.get_by_label("Full name")).to_have_value("Nia New")
    assert_accessible(page)

    page.get_by_label("Email address").fill(INVITEE)
    page.get_by_label("Role", exact=True).select_option(label="Social worker")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Invitation sent to {INVITEE}"
    )
    expect(page.get_by_role("table", name="Invitations waiting to be accepted")).to_contain_text("Nia New")
    assert_accessible(page)

    invitee = browser.new_page()
    invitee.goto(live_server + invitation_link(app))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Create your account")
    assert_accessible(invitee)
    invitee.get_by_label("Create a password").fill("short")
    invitee.get_by_label("Confirm your password").fill("short")
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee.get_by_role("alert")).to_contain_text("Password must be 12 characters or more")
    assert_accessible(invitee)
    invitee.get_by_label("Create a password").fill("a long walk by the river ribble")
    invitee.get_by_label("Confirm your password").fill("a long walk by the river ribble")
    invitee.get_by_role("button", name="Create account").click()
    invitee.wait_for_url(re.compile(r"/a/lancashire/social-work/caseload"))
    expect(invitee.locator(".govuk-notification-banner--success")).to_contain_text("Your account is ready")
    expect(invitee.get_by_text("Signed in as")).to_contain_text("Nia New")
    assert_accessible(invitee)

    teacher = browser.new_page()
    sign_in(teacher, live_server, "designated.teacher@riverside.example")
    teacher.get_by_role("link", name="Colleagues at Riverside Academy").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Colleagues")
    assert_accessible(teacher)
