"""E-mail reminders: each person chooses one e-mail per reminder or one weekly digest."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.blueprints.account import bp
from portal.blueprints.account.forms import FREQUENCY_LABELS, NoticeFrequencyForm
from portal.extensions import db
from portal.models import NoticeFrequency

SAVED = {
    NoticeFrequency.IMMEDIATE: "You will get an e-mail for each reminder and overdue deadline as it happens.",
    NoticeFrequency.WEEKLY_DIGEST: (
        "You will get one e-mail each Monday listing your reminders and overdue deadlines."
    ),
}


@bp.route("/notifications", methods=["GET", "POST"])
@access.signed_in
def notifications() -> ResponseReturnValue:
    user = current_user
    form = NoticeFrequencyForm()
    if form.validate_on_submit():
        user.notice_frequency = NoticeFrequency(form.frequency.data)
        db.session.commit()
        flash(f"Your e-mail reminders have been changed. {SAVED[user.notice_frequency]}", "success")
        return redirect(url_for("account.notifications"))
    if request.method == "GET":
        form.frequency.data = user.notice_frequency.value
    return render_template("account/notifications.html", form=form, labels=FREQUENCY_LABELS)
