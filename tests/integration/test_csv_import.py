"""Importing children and settings from a social-care system's CSV export, and managing settings:
the preview says what will happen and every problem in plain words; nothing is written before
confirming; a bad file changes nothing; confirming applies exactly what was previewed, once."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from portal import clock
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import AuditEvent, Authority, Child, CsvImport, EducationSetting, Pep, SettingType
from tests.conftest import empty_database
from tests.factories import csrf_token, make_child, make_pep, make_setting, make_user, sign_in
from tests.queries import count_queries

TODAY = dt.date(2026, 11, 20)
FIXTURES = Path(__file__).parent.parent / "fixtures"
HEADER = (
    "Person ID,Forename,Surname,DOB,CLA Start Date,Emergency Placement,School URN,Allocated Worker Email\n"
)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def lancs(authorities: dict) -> dict:
    authority = authorities["lancashire"]
    admin = make_user("Ada Admin", email="admin@lancs.example", roles=[(Role.AUTHORITY_ADMIN, authority)])
    worker = make_user("Sam Worker", email="sw.import@lancs.example", roles=[(Role.SOCIAL_WORKER, authority)])
    primary = make_setting("Ribblesdale Primary School", SettingType.PRIMARY)
    primary.urn = "119876"
    high = make_setting("Pendle Vale High School")
    high.urn = "119877"
    db.session.commit()
    return {"authority": authority, "admin": admin, "worker": worker, "primary": primary, "high": high}


def signed_in(app: Flask, user) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user.email)
    return client


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


def upload(
    client: FlaskClient, kind: str, content: bytes | str, filename: str = "export.csv", slug="lancashire"
):
    token = csrf_token(client.get(f"/a/{slug}/admin/imports").text)
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        f"/a/{slug}/admin/imports",
        data={"csrf_token": token, "kind": kind, "document": (BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def confirm(client: FlaskClient, url: str, fingerprint: str | None = None):
    page = client.get(url).text
    if fingerprint is None:
        fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    token = (
        csrf_token(page)
        if 'name="csrf_token"' in page
        else csrf_token(client.get(url.rsplit("/", 1)[0]).text)
    )
    return client.post(f"{url}/confirm", data={"csrf_token": token, "fingerprint": fingerprint})


def children_count() -> int:
    return db.session.scalar(select(func.count(Child.id))) or 0


def child(reference: str) -> Child:
    db.session.expire_all()
    return db.session.scalar(select(Child).where(Child.case_reference == reference))


# --- Preview ---------------------------------------------------------------------------------


def test_the_preview_shows_what_will_happen_and_every_problem_in_plain_words(app: Flask, lancs: dict) -> None:
    existing = make_child(lancs["authority"], "Jayden", "Okafore", date_of_birth=dt.date(2012, 7, 30))
    existing.case_reference = "LL2"
    existing.became_looked_after_on = dt.date(2026, 1, 15)
    same = make_child(lancs["authority"], "Ruby", "Same", date_of_birth=dt.date(2016, 5, 1))
    same.case_reference = "LL3"
    same.became_looked_after_on = dt.date(2025, 4, 1)
    db.session.commit()
    rows = [
        "LL1,Amelia,Hartley,14/03/2015,02/09/2025,No,119876,sw.import@lancs.example",
        "LL2,Jayden,Okafor,30/07/2012,15/01/2026,,,",
        "LL3,Ruby,Same,2016-05-01,2025-04-01,,,",
        "LL7,Noah,Bad,31/02/2015,01/09/2025,No,,",
        "LL8,Mia,Worse,1/1/2014,01/09/2025,maybe,999999,nobody@lancs.example",
        "LL9,,Nameless,01/01/2014,yesterday,,,",
        "LL1,Amelia,Again,14/03/2015,02/09/2025,,,",
    ]
    client = signed_in(app, lancs["admin"])
    url = preview_url(upload(client, "children", HEADER + "\n".join(rows) + "\n"))
    page = text_of(client.get(url))
    assert "To create 1 To update 1 Unchanged 1 Rows with problems 4" in page
    for message in (
        "Row 5: date of birth ‘31/02/2015’ is not a real date",
        "Row 6: emergency placement ‘maybe’ is not Yes or No",
        "Row 6: school URN ‘999999’ is not a setting in PEP Portal: add it on the Settings page, "
        "or import a file of settings first",
        "Row 6: allocated worker email ‘nobody@lancs.example’ is not a social worker of Lancashire County "
        "Council in PEP Portal",
        "Row 7: first name is missing",
        "Row 7: date became looked after ‘yesterday’ is not a date: write it as dd/mm/yyyy, "
        "for example 27/03/2015",
        "Row 8: case reference ‘LL1’ is also on row 2",
    ):
        assert message in page, message
    assert "(column ‘DOB’)" in page
    assert "Nothing can be imported from this file" in page
    assert "Import these records" not in page
    # Every row, not just the problems, when asked: the update names what changes.
    everything = text_of(client.get(url + "?show=all"))
    assert "Update Last name" in everything and "Create" in everything and "Unchanged" in everything
    assert children_count() == 2
    assert child("LL2").last_name == "Okafore"


def test_nothing_is_written_until_confirmed_and_confirming_writes_exactly_the_preview(
    app: Flask, lancs: dict
) -> None:
    existing = make_child(lancs["authority"], "Jayden", "Okafore", date_of_birth=dt.date(2012, 7, 30))
    existing.case_reference = "LL100202"
    existing.became_looked_after_on = dt.date(2026, 1, 15)
    db.session.commit()
    client = signed_in(app, lancs["admin"])
    fixture = FIXTURES / "liquid-logic-children.csv"
    url = preview_url(upload(client, "children", fixture.read_bytes(), fixture.name))
    page = text_of(client.get(url))
    assert "To create 2 To update 1 Unchanged 0 Rows with problems 0" in page
    assert "Columns not read: Ethnicity." in page
    assert children_count() == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("child.%"))) == 0

    response = confirm(client, url)
    assert response.status_code == 302
    done = text_of(client.get(url))
    assert "Import complete: 2 children created, 1 updated, 0 unchanged" in done
    assert "Amelia Hartley" in done and "Isla Brennan" in done
    assert children_count() == 3
    amelia, jayden, isla = child("LL100201"), child("LL100202"), child("LL100203")
    assert (amelia.first_name, amelia.last_name, amelia.date_of_birth, amelia.became_looked_after_on) == (
        "Amelia",
        "Hartley",
        dt.date(2015, 3, 14),
        dt.date(2025, 9, 2),
    )
    assert amelia.current_setting_id == lancs["primary"].id
    assert amelia.social_worker_id == lancs["worker"].id
    assert amelia.authority_id == lancs["authority"].id
    assert jayden.id == existing.id and jayden.last_name == "Okafor" and jayden.emergency_placement is True
    assert jayden.current_setting_id == lancs["high"].id  # had none: placed, no PEP to move
    assert (isla.current_setting_id, isla.social_worker_id, isla.emergency_placement) == (None, None, False)
    record = db.session.scalar(select(CsvImport))
    assert record.applied_at is not None
    assert record.summary == {"created": 2, "updated": 1, "unchanged": 0}
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.authority_id == lancs["authority"].id)
    )
    assert sorted(a for a in actions if a.startswith(("child.", "import."))) == [
        "child.imported",
        "child.imported",
        "child.moved_setting",
        "child.updated_by_import",
        "import.applied",
        "import.uploaded",
    ]
    # The history says who imported what, when, and the outcome.
    history = text_of(client.get("/a/lancashire/admin/imports"))
    assert "liquid-logic-children.csv Children" in history
    assert "by Ada Admin Imported" in history and "2 created, 1 updated, 0 unchanged" in history


def test_a_file_with_one_bad_row_changes_nothing_even_if_confirm_is_posted(app: Flask, lancs: dict) -> None:
    from portal.services.imports import plan_for

    client = signed_in(app, lancs["admin"])
    url = preview_url(
        upload(
            client,
            "children",
            HEADER + "LL1,Amelia,Hartley,14/03/2015,02/09/2025,No,,\nLL2,Bad,Date,31/02/2015,02/09/2025,,,\n",
        )
    )
    record = db.session.scalar(select(CsvImport))
    # Even with the fingerprint of the plan as it stands, the file is refused as a whole.
    response = confirm(client, url, fingerprint=plan_for(lancs["authority"], record).fingerprint)
    assert response.status_code == 409
    assert "Nothing was imported: the file has problems, listed below. Fix the file and upload it again" in (
        text_of(response)
    )
    assert children_count() == 0
    db.session.expire_all()
    assert db.session.get(CsvImport, record.id).applied_at is None


def test_confirming_twice_imports_once(app: Flask, lancs: dict) -> None:
    client = signed_in(app, lancs["admin"])
    url = preview_url(upload(client, "children", HEADER + "LL1,Amelia,Hartley,14/03/2015,02/09/2025,No,,\n"))
    page = client.get(url).text
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    assert confirm(client, url, fingerprint).status_code == 302
    again = confirm(client, url, fingerprint)
    assert again.status_code == 409
    assert "This file was already imported on" in text_of(again)
    assert "Nothing was imported again" in text_of(again)
    assert children_count() == 1


def test_confirming_after_the_records_changed_is_refused(app: Flask, lancs: dict) -> None:
    existing = make_child(lancs["authority"], "Amelia", "Old", date_of_birth=dt.date(2015, 3, 14))
    existing.case_reference = "LL1"
    db.session.commit()
    client = signed_in(app, lancs["admin"])
    url = preview_url(upload(client, "children", HEADER + "LL1,Amelia,Hartley,14/03/2015,02/09/2025,No,,\n"))
    page = client.get(url).text
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    existing.first_name = "Amy"  # someone changes the record meanwhile
    db.session.commit()
    response = confirm(client, url, fingerprint)
    assert response.status_code == 409
    assert "the records in PEP Portal changed since you previewed this file" in text_of(response)
    assert child("LL1").last_name == "Old"


def test_windows_1252_and_byte_order_marked_files_are_read(app: Flask, lancs: dict) -> None:
    client = signed_in(app, lancs["admin"])
    windows = (HEADER + "LL1,Zoë,O’Brien,14/03/2015,02/09/2025,No,,\n").encode("cp1252")
    marked = (HEADER + "LL2,Siân,Çelik,2014-01-05,2025-09-02,,,\n").encode("utf-8-sig")
    for content in (windows, marked):
        assert confirm(client, preview_url(upload(client, "children", content))).status_code == 302
    assert (child("LL1").first_name, child("LL1").last_name) == ("Zoë", "O’Brien")
    assert (child("LL2").first_name, child("LL2").last_name) == ("Siân", "Çelik")


def test_missing_columns_are_named_once(app: Flask, lancs: dict) -> None:
    client = signed_in(app, lancs["admin"])
    url = preview_url(upload(client, "children", "Person ID,Forename,Ethnicity\nLL1,Amelia,x\nLL2,Noah,y\n"))
    page = text_of(client.get(url))
    message = "The file has no columns for last name, date of birth and date became looked after"
    assert page.count(message) == 2  # the error summary and the page, once each
    assert "Row 2" not in page and "Import these records" not in page


def test_the_wrong_kind_of_file_is_explained(app: Flask, lancs: dict) -> None:
    client = signed_in(app, lancs["admin"])
    url = preview_url(upload(client, "children", (FIXTURES / "gias-settings.csv").read_bytes()))
    assert (
        "The file has no columns for case reference, first name, last name, date of birth and date became "
        "looked after. It looks like a file of settings: upload it again and choose Settings"
    ) in text_of(client.get(url))
    workbook = upload(client, "children", b"PK\x03\x04 not really a workbook", "export.xlsx")
    assert workbook.status_code == 200
    assert "The selected file is an Excel workbook, not a CSV file" in text_of(workbook)
    assert "The selected file is empty" in text_of(upload(client, "settings", b""))
    assert "Select what the file holds" in text_of(upload(client, "", HEADER))
    assert db.session.scalar(select(func.count(CsvImport.id))) == 1


def test_another_authoritys_import_is_not_found(app: Flask, lancs: dict, authorities: dict) -> None:
    bradford_admin = make_user(
        email="admin@brad.example", roles=[(Role.AUTHORITY_ADMIN, authorities["bradford"])]
    )
    theirs = signed_in(app, bradford_admin)
    url = preview_url(
        upload(theirs, "children", HEADER + "B1,Zebedee,Hidden,14/03/2015,02/09/2025,,,\n", slug="bradford")
    )
    import_id = url.rsplit("/", 1)[1]
    client = signed_in(app, lancs["admin"])
    response = client.get(f"/a/lancashire/admin/imports/{import_id}")
    assert response.status_code == 404
    assert "Zebedee" not in response.text
    token = csrf_token(client.get("/a/lancashire/admin/imports").text)
    posted = client.post(f"/a/lancashire/admin/imports/{import_id}/confirm", data={"csrf_token": token})
    assert posted.status_code == 404
    assert children_count() == 0


def test_a_child_moving_setting_moves_as_when_their_social_worker_records_it(app: Flask, lancs: dict) -> None:
    moving = make_child(
        lancs["authority"], "Amelia", "Hartley", setting=lancs["primary"], date_of_birth=dt.date(2015, 3, 14)
    )
    moving.case_reference = "LL1"
    moving.became_looked_after_on = dt.date(2025, 9, 2)
    db.session.commit()
    open_pep = make_pep(moving, setting=lancs["primary"], state="delegated_to_setting")
    client = signed_in(app, lancs["admin"])
    url = preview_url(
        upload(client, "children", HEADER + "LL1,Amelia,Hartley,14/03/2015,02/09/2025,No,119877,\n")
    )
    assert "Update School: moves to Pendle Vale High School" in text_of(client.get(url))
    assert confirm(client, url).status_code == 302
    db.session.expire_all()
    assert child("LL1").current_setting_id == lancs["high"].id
    assert db.session.get(Pep, open_pep.id).setting_id is None  # the old school no longer sees it
    kinds = db.session.scalars(select(Pep.kind).where(Pep.child_id == moving.id)).all()
    assert sorted(k.value for k in kinds) == ["termly_review", "transition"]


# --- Importing settings ----------------------------------------------------------------------


def test_a_settings_export_creates_settings_and_leaves_other_authorities_settings_alone(
    app: Flask, lancs: dict, authorities: dict
) -> None:
    theirs = make_setting("Bradford Grange")
    theirs.urn = "107000"
    db.session.commit()
    make_child(authorities["bradford"], "Zebedee", setting=theirs)
    client = signed_in(app, lancs["admin"])
    content = (
        FIXTURES / "gias-settings.csv"
    ).read_text() + "107000,Bradford Grange Academy,Secondary,Bradford\n"
    url = preview_url(upload(client, "settings", content))
    page = text_of(client.get(url))
    assert "To create 1 To update 2 Unchanged 0 Rows with problems 1" in page
    assert (
        "Row 5: Bradford Grange (URN 107000) is used only by other authorities, so its details cannot be "
        "changed here: make the row match PEP Portal or remove it"
    ) in page
    # The same file with the row matching PEP Portal imports.
    fixed = (FIXTURES / "gias-settings.csv").read_text() + "107000,Bradford Grange,Secondary,\n"
    url = preview_url(upload(client, "settings", fixed))
    assert "To create 1 To update 2 Unchanged 1 Rows with problems 0" in text_of(client.get(url))
    assert confirm(client, url).status_code == 302
    db.session.expire_all()
    by_urn = {s.urn: s for s in db.session.scalars(select(EducationSetting))}
    assert by_urn["119878"].name == "Little Oaks Day Nursery"
    assert by_urn["119878"].setting_type is SettingType.NURSERY
    assert by_urn["119878"].local_authority_area == "Lancashire"
    assert by_urn["119876"].local_authority_area == "Lancashire"
    assert by_urn["107000"].name == "Bradford Grange"


# --- Managing settings -----------------------------------------------------------------------


def add(client: FlaskClient, **fields: str):
    token = csrf_token(client.get("/a/lancashire/admin/settings/new").text)
    return client.post("/a/lancashire/admin/settings/new", data={"csrf_token": token, **fields})


def test_the_settings_page_lists_the_authoritys_settings_and_searches_all(
    app: Flask, lancs: dict, authorities: dict
) -> None:
    client = signed_in(app, lancs["admin"])
    assert "None of Lancashire County Council's children has a setting recorded yet" in text_of(
        client.get("/a/lancashire/admin/settings")
    )
    for name in ("Ada", "Ben"):
        make_child(lancs["authority"], name, setting=lancs["primary"])
    make_child(authorities["bradford"], "Zebedee", setting=lancs["high"])
    page = text_of(client.get("/a/lancashire/admin/settings"))
    assert "Ribblesdale Primary School 119876 Primary Not recorded 2" in page
    assert "Pendle Vale" not in page
    assert "Pendle Vale High School 119877 Secondary Not recorded 0" in text_of(
        client.get("/a/lancashire/admin/settings?q=pendle")
    )
    assert "Pendle Vale High School" in text_of(client.get("/a/lancashire/admin/settings?q=119877"))
    assert "No settings match ‘Nowhere’" in text_of(client.get("/a/lancashire/admin/settings?q=Nowhere"))


def test_adding_and_editing_a_setting(app: Flask, lancs: dict) -> None:
    client = signed_in(app, lancs["admin"])
    response = add(
        client, urn="123456", name="Brookside Academy", setting_type="secondary", local_authority_area=""
    )
    assert response.status_code == 302
    setting = db.session.scalar(select(EducationSetting).where(EducationSetting.urn == "123456"))
    assert (setting.name, setting.setting_type) == ("Brookside Academy", SettingType.SECONDARY)
    # Alternative provision may have no URN.
    assert add(client, urn="", name="Skills Hub", setting_type="alternative_provision").status_code == 302
    assert (
        db.session.scalar(select(EducationSetting.urn).where(EducationSetting.name == "Skills Hub")) is None
    )

    edit_url = f"/a/lancashire/admin/settings/{setting.id}"
    token = csrf_token(client.get(edit_url).text)
    edited = client.post(
        edit_url,
        data={
            "csrf_token": token,
            "urn": "123456",
            "name": "Brookside Academy Trust",
            "setting_type": "all_through",
            "local_authority_area": "Lancashire",
        },
    )
    assert edited.status_code == 302
    db.session.expire_all()
    setting = db.session.get(EducationSetting, setting.id)
    assert (setting.name, setting.setting_type, setting.local_authority_area) == (
        "Brookside Academy Trust",
        SettingType.ALL_THROUGH,
        "Lancashire",
    )
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "setting.updated")) == {
        "fields": ["name", "setting_type", "local_authority_area"]
    }


def test_a_duplicate_or_malformed_urn_is_refused(app: Flask, lancs: dict) -> None:
    client = signed_in(app, lancs["admin"])
    duplicate = add(client, urn="119876", name="Ribblesdale Again", setting_type="primary")
    assert duplicate.status_code == 200
    assert (
        "URN 119876 is already Ribblesdale Primary School's. "
        "Search for Ribblesdale Primary School instead of adding it again"
    ) in text_of(duplicate)
    assert "Error:" in duplicate.text.split("</title>")[0]
    assert "URN must be 6 digits, like 123456" in text_of(
        add(client, urn="12345", name="X", setting_type="primary")
    )
    assert "Select the type of setting" in text_of(add(client, urn="", name="X"))
    assert db.session.scalar(select(func.count(EducationSetting.id))) == 2


def test_editing_a_setting_used_only_by_another_authority_is_refused(
    app: Flask, lancs: dict, authorities: dict
) -> None:
    theirs = make_setting("Bradford Grange")
    make_child(authorities["bradford"], "Zebedee", setting=theirs)
    client = signed_in(app, lancs["admin"])
    url = f"/a/lancashire/admin/settings/{theirs.id}"
    page = client.get(url)
    refusal = (
        "You cannot change Bradford Grange's details: only other authorities have children there, and they "
        "keep its record. Ask them to correct it"
    )
    assert refusal in text_of(page)
    assert "Save the setting" not in page.text
    token = csrf_token(client.get("/a/lancashire/admin/settings/new").text)
    posted = client.post(url, data={"csrf_token": token, "name": "Renamed", "setting_type": "primary"})
    assert posted.status_code == 403
    assert refusal in text_of(posted)
    db.session.expire_all()
    assert db.session.get(EducationSetting, theirs.id).name == "Bradford Grange"
    # A setting nobody uses yet may be corrected by anyone who needs it.
    unused = make_setting("Nobody's School")
    token = csrf_token(client.get(f"/a/lancashire/admin/settings/{unused.id}").text)
    response = client.post(
        f"/a/lancashire/admin/settings/{unused.id}",
        data={"csrf_token": token, "urn": unused.urn, "name": "Somebody's School", "setting_type": "primary"},
    )
    assert response.status_code == 302


# --- Scale -----------------------------------------------------------------------------------


def test_preview_and_confirm_run_a_fixed_number_of_queries(app: Flask, authorities: dict) -> None:
    """50 rows or 5,000, half new children and half updates of existing ones (and two moving
    setting at both sizes): the same number of statements for the upload, the preview and the
    confirmation."""
    counts = {}
    for size in (50, 5000):
        empty_database()
        from portal.services.authorities import sync_from_files

        sync_from_files(app.extensions["authority_files"])
        authority = db.session.scalar(select(Authority).where(Authority.slug == "lancashire"))
        admin = make_user(email="admin@scale.example", roles=[(Role.AUTHORITY_ADMIN, authority)])
        make_user(email="sw@scale.example", roles=[(Role.SOCIAL_WORKER, authority)])
        school, other = make_setting("Scale School"), make_setting("Other School")
        db.session.execute(
            insert(Child),
            [
                {
                    "authority_id": authority.id,
                    "first_name": f"Child{n}",
                    "last_name": "Old",
                    "date_of_birth": dt.date(2013, 1, 1),
                    "became_looked_after_on": dt.date(2025, 9, 1),
                    "emergency_placement": False,
                    "case_reference": f"S{n}",
                    "current_setting_id": school.id,
                }
                for n in range(size // 2)
            ],
        )
        db.session.commit()
        lines = [
            f"S{n},Child{n},{'New' if n % 3 else 'Old'},01/01/2013,01/09/2025,No,"
            f"{other.urn if n < 2 else school.urn},sw@scale.example"
            for n in range(size)
        ]
        client = signed_in(app, admin)
        token = csrf_token(client.get("/a/lancashire/admin/imports").text)
        with count_queries(db.engine) as uploading:
            response = client.post(
                "/a/lancashire/admin/imports",
                data={
                    "csrf_token": token,
                    "kind": "children",
                    "document": (BytesIO((HEADER + "\n".join(lines)).encode()), "big.csv"),
                },
                content_type="multipart/form-data",
            )
        url = preview_url(response)
        with count_queries(db.engine) as previewing:
            page = client.get(url)
        assert f"To create {size - size // 2}" in text_of(page)
        fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page.text).group(1)
        with count_queries(db.engine) as confirming:
            response = client.post(
                f"{url}/confirm", data={"csrf_token": csrf_token(page.text), "fingerprint": fingerprint}
            )
        assert response.status_code == 302
        assert children_count() == size
        counts[size] = (len(uploading), len(previewing), len(confirming))
    assert counts[50] == counts[5000], counts
