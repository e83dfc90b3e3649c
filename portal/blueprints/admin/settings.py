"""The administrator's settings: the ones their children attend, search, add and correct."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal import access
from portal.authorities.schema import Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.forms import SettingForm
from portal.extensions import db
from portal.models import Authority, EducationSetting, SettingType
from portal.services import settings_admin
from portal.services.paging import clamp_page


@bp.get("/settings")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def settings(authority: Authority) -> ResponseReturnValue:
    search = request.args.get("q", "")[:100]
    return render_template(
        "admin/settings.html",
        authority=authority,
        search=search,
        page=settings_admin.settings_page(
            authority, page=clamp_page(request.args.get("page")), search=search
        ),
    )


def _details(form: SettingForm) -> settings_admin.SettingDetails:
    return settings_admin.SettingDetails(
        urn=form.urn.data or "",
        name=form.name.data or "",
        setting_type=SettingType(form.setting_type.data),
        local_authority_area=form.local_authority_area.data or "",
    )


def _render_form(
    authority: Authority, form: SettingForm, setting: EducationSetting | None, **extra: object
) -> str:
    return render_template(
        "admin/setting_form.html", authority=authority, form=form, setting=setting, **extra
    )


@bp.get("/settings/new")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def new_setting(authority: Authority) -> ResponseReturnValue:
    return _render_form(authority, SettingForm(), None)


@bp.post("/settings/new")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def add_setting(authority: Authority) -> ResponseReturnValue:
    form = SettingForm()
    if form.validate_on_submit():
        try:
            setting = settings_admin.add_setting(current_user, authority, _details(form))  # type: ignore[arg-type]
        except settings_admin.SettingRefusedError as refused:
            form[refused.field or "name"].errors = [str(refused)]
        else:
            flash(f"{setting.name} added", "success")
            return redirect(url_for("admin.settings", authority=authority, q=setting.urn or setting.name))
    return _render_form(authority, form, None)


def _setting_or_404(setting_id: int) -> EducationSetting:
    setting = db.session.get(EducationSetting, setting_id)
    if setting is None:
        abort(404)
    return setting


@bp.get("/settings/<int:setting_id>")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def edit_setting(authority: Authority, setting_id: int) -> ResponseReturnValue:
    setting = _setting_or_404(setting_id)
    form = SettingForm(obj=setting)
    form.setting_type.data = setting.setting_type.value
    editable = settings_admin.editable(authority, setting)
    return _render_form(
        authority, form, setting, refusal=None if editable else settings_admin.refusal_to_edit(setting)
    )


@bp.post("/settings/<int:setting_id>")
@access.authority_roles(Role.AUTHORITY_ADMIN)
def update_setting(authority: Authority, setting_id: int) -> ResponseReturnValue:
    setting = _setting_or_404(setting_id)
    form = SettingForm()
    if form.validate_on_submit():
        try:
            changed = settings_admin.update_setting(current_user, authority, setting, _details(form))  # type: ignore[arg-type]
        except settings_admin.SettingRefusedError as refused:
            if refused.field is None:
                db.session.rollback()
                return _render_form(authority, form, setting, refusal=str(refused)), 403
            form[refused.field].errors = [str(refused)]
        else:
            flash(
                f"{setting.name} saved" if changed else f"Nothing changed: {setting.name} was already so",
                "success",
            )
            return redirect(url_for("admin.settings", authority=authority, q=setting.urn or setting.name))
    return _render_form(authority, form, setting)
