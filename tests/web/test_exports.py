"""Downloads opened as a spreadsheet user would: CSV with the csv module, XLSX with openpyxl;
checked against the hand-counted fixture (tests.stats_data)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time

import openpyxl
import pytest

from checkin.extensions import db
from checkin.models import User
from tests.conftest import FROZEN_AT
from tests.factories import PASSWORD, audit_log
from tests.stats_data import build_stats_world
from tests.web.helpers import csrf_token, login

OCTOBER = {"start": "2026-10-01", "end": "2026-10-31"}


@pytest.fixture
def world(app, frozen_clock):
    world = build_stats_world()
    db.session.commit()
    return world


def _login(client, user_id: int) -> None:
    email = db.session.get(User, user_id).email
    login(client, email, PASSWORD)
    client.get("/language/en")


def download(client, *, kind="evaluation", fmt="csv", names=False, **filters):
    token = csrf_token(client, "/staff/exports")
    data = {"csrf_token": token, "kind": kind, "fmt": fmt, **OCTOBER, **filters}
    if names:
        data["include_names"] = "y"
    return client.post("/staff/exports/download", data=data)


def session_download(client, session_id: int, fmt: str = "csv", *, names: bool = False):
    token = csrf_token(client, "/staff/exports")
    data = {"csrf_token": token, **({"names": "1"} if names else {})}
    return client.post(f"/staff/sessions/{session_id}/export.{fmt}", data=data)


def excel_day(day: str) -> datetime:
    """How openpyxl reads back a date cell: a naive datetime at midnight."""
    return datetime.combine(date.fromisoformat(day), time())


def read_csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def test_evaluation_csv_is_suppressed_and_streamed(client, world):
    _login(client, world.staff_id)
    response = download(client)
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["Table", "Project", "Activity", "Group"]
    by_group = {(r[0], r[1], r[2], r[3]): r[4:] for r in rows}
    everything = ("By age band", "All projects", "All activities")
    assert by_group[(*everything, "10-12")] == ["<3", "<3", "<3", "<3"]  # Amina and Sofie
    assert by_group[(*everything, "Anonymous headcount: children")] == ["0", "5", "0", "0"]
    total = by_group[("By project and activity", "All projects", "All activities", "")]
    assert total == ["4", "14", "3", "<3"]
    area = by_group[("By area", "All projects", "All activities", "Ærøvej-området")]
    assert area == ["3", "6", "<3", "<3"]
    assert ("By project and activity", "Børn og unge", "Lektiecafé", "") in by_group


def test_admin_names_export_is_not_suppressed(client, world):
    _login(client, world.admin_id)
    header, *rows = read_csv(download(client, names=True))
    by_group = {(r[0], r[1], r[2], r[3]): r[4:] for r in rows}
    band = by_group[("By age band", "All projects", "All activities", "10-12")]
    assert band == ["2", "5", "1", "1"]
    header, *rows = read_csv(download(client, kind="attendance", names=True))
    assert header[:3] == ["Participant", "First name", "Last name"]
    assert {"Amina", "Omar", "Sofie", "Lars", "Ali"} <= {r[1] for r in rows}


def test_attendance_csv_rows_and_æøå(client, world):
    _login(client, world.staff_id)
    header, *rows = read_csv(download(client, kind="attendance"))
    assert header == [
        "Participant",
        "Age band",
        "Gender",
        "Area",
        "Department",
        "Resident",
        "Project",
        "Activity",
        "Session date",
        "Booked or walk-in",
        "Checked in or no-show",
        "Attendances",
    ]
    assert "Amina" not in {cell for row in rows for cell in row}  # pseudonymous
    assert sum(int(r[11]) for r in rows) == 14
    assert sum(r[10] == "No-show" for r in rows) == 2
    assert sum(r[9] == "Walk-in" for r in rows) == 1
    assert {r[3] for r in rows} >= {"Ærøvej-området", "Udenbys"}
    assert {r[6] for r in rows} == {"Børn og unge", "Fællesskab"}
    assert {r[7] for r in rows} == {"Lektiecafé", "Åben café"}
    assert rows[0][8] == "2026-10-06"


def test_xlsx_has_typed_cells_a_frozen_header_and_a_sheet_per_table(client, world):
    _login(client, world.staff_id)
    response = download(client, fmt="xlsx")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = read_xlsx(response)
    assert workbook.sheetnames == [
        "Key figures",
        "By project and activity",
        "By age band",
        "By gender",
        "By area",
        "Resident or not",
        "Targets",
    ]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    figures = {
        row[0]: row[1] for row in workbook["Key figures"].iter_rows(min_row=2, values_only=True)
    }
    assert figures["Attendances"] == 14 and isinstance(figures["Attendances"], int)
    assert figures["Unique participants"] == 4
    assert figures["Returning participants"] == "<3"
    assert figures["Attendance rate of booked people, %"] == 75.0
    targets = list(workbook["Targets"].iter_rows(min_row=2, values_only=True))
    assert targets == [
        (
            "Lektiecafé",
            "Unique participants",
            excel_day("2026-10-01"),
            excel_day("2026-12-31"),
            10,
            3,
            30.0,
        ),
    ]
    attendance = read_xlsx(download(client, kind="attendance", fmt="xlsx"))
    (sheet,) = attendance.worksheets
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[8] == excel_day("2026-10-06") and sheet["I2"].is_date
    assert isinstance(first[11], int)
    assert sum(r[11] for r in sheet.iter_rows(min_row=2, values_only=True)) == 14


def test_staff_cannot_export_names(client, world):
    _login(client, world.staff_id)
    assert download(client, names=True).status_code == 403
    assert download(client, kind="attendance", names=True).status_code == 403
    session_id = world.sessions["S2"]
    assert session_download(client, session_id, names=True).status_code == 403
    page = client.get("/staff/exports").get_data(as_text=True)
    assert 'name="include_names"' not in page
    assert audit_log() == []


def test_every_export_is_audited(client, world):
    _login(client, world.admin_id)
    download(client, fmt="xlsx", project=str(world.project_x)).get_data()
    download(client, kind="attendance", names=True).get_data()
    entries = audit_log()
    assert [(e.action, e.actor_id, e.at) for e in entries] == [
        ("export", world.admin_id, FROZEN_AT),
        ("export", world.admin_id, FROZEN_AT),
    ]
    assert entries[0].details == {
        "kind": "evaluation",
        "format": "xlsx",
        "filters": {"start": "2026-10-01", "end": "2026-10-31", "project_id": world.project_x},
        "include_names": False,
    }
    assert entries[1].details["kind"] == "attendance"
    assert entries[1].details["include_names"] is True


def test_session_list_for_staff(client, world):
    _login(client, world.staff_id)
    response = session_download(client, world.sessions["S3"])
    assert response.status_code == 200 and response.is_streamed
    header, *rows = read_csv(response)
    assert header == [
        "Participant",
        "Age band",
        "Booked or walk-in",
        "Seat",
        "Checked in at",
        "Attendances",
    ]
    assert sum(int(r[5]) for r in rows) == 9
    assert {r[1] for r in rows} >= {"Anonymous headcount: children", "25-29"}
    workbook = read_xlsx(session_download(client, world.sessions["S3"], "xlsx"))
    assert workbook.active.freeze_panes == "A2"
    (entry,) = [e for e in audit_log() if e.details["format"] == "xlsx"]
    assert (entry.object_type, entry.object_id) == ("session", world.sessions["S3"])


def test_volunteers_and_visitors_cannot_export(client, world):
    assert client.get("/staff/exports").status_code == 302  # to the login page
    from tests.factories import make_user

    volunteer = make_user("volunteer")
    db.session.commit()
    login(client, volunteer.email, PASSWORD)
    assert client.get("/staff/exports").status_code == 403
    assert session_download(client, world.sessions["S1"]).status_code == 403
