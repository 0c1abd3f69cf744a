"""One truth (DESIGN.md §4 invariant 5): on generated data (the demo, plus volunteer shifts and
targets), the figures from ``services.stats`` equal those read back from the CSV export, the
XLSX export and the dashboard's HTML tables."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import openpyxl
import pytest
from flask import current_app
from flask_babel import refresh
from sqlalchemy import func, select

from checkin.demo import DEMO_LOGINS, load_demo
from checkin.extensions import db
from checkin.models import Activity, Target, VolunteerShift
from checkin.services.stats import StatsFilter, evaluation_tables, key_figure_rows, key_figures
from tests.conftest import FROZEN_AT
from tests.web.helpers import csrf_token, login

PERIOD = {"start": "2026-09-01", "end": "2026-11-30"}


@pytest.fixture
def demo(app, frozen_clock):
    load_demo(at=FROZEN_AT)  # with volunteer hours and targets
    assert db.session.scalar(select(func.count(VolunteerShift.id)))
    assert db.session.scalar(select(func.count(Target.id)))
    db.session.commit()


def _cell(value, persons: int | None = None):
    """What a pseudonymous export shows for ``value`` counted over ``persons`` people."""
    if persons is not None and 0 < persons < 3:
        return "<3"
    return value


def _number(text: str):
    if text in ("", "<3"):
        return None if text == "" else text
    return float(text.replace(",", ".")) if "," in text or "." in text else int(text)


def expected(stats_filter: StatsFilter):
    """The service's figures, in English, as a pseudonymous export must show them."""
    with current_app.test_request_context("/?lang=en"):
        refresh()  # labels in English, like the downloads after /language/en
        try:
            return _expected(stats_filter)
        finally:
            refresh()


def _expected(stats_filter: StatsFilter):
    figures = {}
    for _key, label, kind, value in key_figure_rows(key_figures(stats_filter, at=FROZEN_AT)):
        figures[str(label)] = _cell(value, value if kind == "persons" else None)
    tables = {}
    for table in evaluation_tables(stats_filter):
        for row in table.rows:
            where = (
                str(table.title),
                row.project or "All projects",
                row.activity or "All activities",
                row.group_label if table.group_title is not None else "",
            )
            tables[where] = (
                _cell(row.unique, row.unique),
                _cell(row.attendances, row.unique),
                _cell(row.new, row.new),
                _cell(row.returning, row.returning),
            )
    return figures, tables


def _post(client, **data):
    token = csrf_token(client, "/staff/exports")
    response = client.post("/staff/exports/download", data={"csrf_token": token, **PERIOD, **data})
    assert response.status_code == 200
    return response.get_data()


def _csv(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))[1:]


def from_csv(client, filters):
    figures = {
        label: _number(value)
        for label, value in _csv(_post(client, kind="key_figures", fmt="csv", **filters))
    }
    tables = {
        tuple(row[:4]): tuple(_number(v) for v in row[4:])
        for row in _csv(_post(client, kind="evaluation", fmt="csv", **filters))
    }
    return figures, tables


def from_xlsx(client, filters):
    raw = _post(client, kind="evaluation", fmt="xlsx", **filters)
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    figures = dict(workbook["Key figures"].iter_rows(min_row=2, values_only=True))
    tables = {}
    for sheet in workbook.worksheets[1:-1]:
        has_group = sheet.max_column == 7
        for row in sheet.iter_rows(min_row=2, values_only=True):
            group = row[2] if has_group else ""
            tables[(sheet.title, row[0], row[1], group)] = tuple(row[-4:])
    return figures, tables


_FIGURE = re.compile(r'<tr data-figure="\w+"><th scope="row">([^<]*)</th>.*?data-value="([^"]*)"')
_TABLE = re.compile(r'<table class="table breakdown" data-table="(\w+)">.*?</table>', re.S)
_CAPTION = re.compile(r"<caption>([^<]*)</caption>")
_GROUP_ROW = re.compile(r'<tr data-group="[^"]*"><th scope="row">([^<]*)</th>(.*?)</tr>', re.S)
_VALUES = re.compile(r'data-value="([^"]*)"')


def from_dashboard(client, filters):
    query = "&".join(f"{k}={v}" for k, v in {**PERIOD, **filters}.items())
    html = client.get(f"/staff/?{query}").get_data(as_text=True).replace("&amp;", "&")
    figures = {label: _number(value) for label, value in _FIGURE.findall(html)}
    tables = {}
    for match in _TABLE.finditer(html):
        if match.group(1) == "project":
            continue  # checked through the CSV and XLSX; its layout differs
        title = _CAPTION.search(match.group(0)).group(1)
        for label, cells in _GROUP_ROW.findall(match.group(0)):
            key = (title, "All projects", "All activities", label)
            tables[key] = tuple(int(v) for v in _VALUES.findall(cells))
    return figures, tables


@pytest.mark.parametrize("choice", ["all", "project", "age_band"])
def test_dashboard_csv_and_xlsx_agree_with_the_service(client, demo, choice):
    email, password = DEMO_LOGINS["staff"]
    login(client, email, password)
    client.get("/language/en")
    first_activity = db.session.scalar(select(Activity).order_by(Activity.id).limit(1))
    filters = {
        "all": {},
        "project": {"project": str(first_activity.project_id)},
        "age_band": {"age_band": "10-12"},
    }[choice]
    stats_filter = StatsFilter(
        start=date(2026, 9, 1),
        end=date(2026, 11, 30),
        project_id=first_activity.project_id if choice == "project" else None,
        age_band=filters.get("age_band"),
    )
    figures, tables = expected(stats_filter)
    assert figures["Attendances"] > 100  # generated data, not an empty period
    assert figures["Returning participants"] not in (0, "<3")  # the demo began in spring
    assert figures["Volunteer hours"] > 0

    csv_figures, csv_tables = from_csv(client, filters)
    assert csv_figures == figures
    assert csv_tables == tables

    xlsx_figures, xlsx_tables = from_xlsx(client, filters)
    assert xlsx_figures == figures
    assert xlsx_tables == tables

    html_figures, html_tables = from_dashboard(client, filters)
    with current_app.test_request_context("/?lang=en"):
        refresh()
        service = {  # the dashboard is internal: figures unsuppressed
            str(label): value
            for _k, label, _kind, value in key_figure_rows(key_figures(stats_filter, at=FROZEN_AT))
        }
    refresh()
    assert html_figures == service
    for key, values in html_tables.items():
        csv_values = csv_tables[key]
        assert tuple(_cell(v, p) for v, p in zip(values, _persons(values), strict=True)) == (
            csv_values
        )
    assert len(html_tables) == sum(1 for key in tables if key[1] == "All projects") - 1


def _persons(values: tuple) -> tuple:
    unique, _attendances, new, returning = values
    return (unique, unique, new, returning)
