"""The dashboard and the annual report, on the hand-counted fixture (tests.stats_data)."""

from __future__ import annotations

import re

import pytest

from checkin.extensions import db
from checkin.models import User
from tests.factories import PASSWORD
from tests.stats_data import build_stats_world
from tests.web.helpers import login

_FIGURE = re.compile(r'<tr data-figure="(\w+)">.*?data-value="([^"]*)"', re.S)
_BAR = re.compile(r'<g class="bar" data-label="([^"]*)" data-value="([^"]*)"')
_ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td class="number" data-value="([^"]*)"')


@pytest.fixture
def world(app, frozen_clock):
    world = build_stats_world()
    db.session.commit()
    return world


@pytest.fixture
def staff_client(client, world):
    login(client, db.session.get(User, world.staff_id).email, PASSWORD)
    client.get("/language/en")
    return client


def key_figures_of(html: str) -> dict[str, str]:
    return dict(_FIGURE.findall(html))


def chart(html: str, chart_id: str) -> tuple[list, list]:
    """(bars of the SVG, rows of the table beside it) of one chart."""
    start = html.index(f'data-chart="{chart_id}"')
    block = html[start : html.index("</figure>", start)]
    return _BAR.findall(block), _ROW.findall(block)


def test_dashboard_shows_the_period_figures(staff_client):
    html = staff_client.get("/staff/?start=2026-10-01&end=2026-10-31").get_data(as_text=True)
    figures = key_figures_of(html)
    assert figures["sessions_held"] == "3"
    assert figures["attendances"] == "14"
    assert figures["unique_participants"] == "4"
    assert figures["new_participants"] == "3"
    assert figures["no_shows"] == "2"
    assert figures["attendance_rate"] == "75.0"
    assert figures["volunteer_hours"] == "4.5"
    assert figures["satisfaction"] == "4.0"
    assert "Lektiecafé" in html and "Progress against targets" in html


def test_filters_change_the_numbers(staff_client, world):
    base = "/staff/?start=2026-10-01&end=2026-10-31"
    project = key_figures_of(
        staff_client.get(f"{base}&project={world.project_x}").get_data(as_text=True)
    )
    shown = (project["sessions_held"], project["attendances"], project["unique_participants"])
    assert shown == ("2", "5", "3")
    area = key_figures_of(staff_client.get(f"{base}&area={world.area_away}").get_data(as_text=True))
    assert (area["attendances"], area["unique_participants"]) == ("1", "1")
    band = key_figures_of(staff_client.get(f"{base}&age_band=10-12").get_data(as_text=True))
    assert (band["attendances"], band["unique_participants"]) == ("5", "2")
    women = key_figures_of(staff_client.get(f"{base}&gender=female").get_data(as_text=True))
    assert (women["attendances"], women["no_shows"]) == ("5", "0")
    september = key_figures_of(
        staff_client.get("/staff/?start=2026-09-01&end=2026-09-30").get_data(as_text=True)
    )
    assert (september["attendances"], september["new_participants"]) == ("1", "1")


def test_charts_and_their_tables_carry_the_same_numbers(staff_client):
    html = staff_client.get("/staff/?start=2026-10-01&end=2026-10-31").get_data(as_text=True)
    for chart_id in ("chart-activity", "chart-age", "chart-area", "chart-gender"):
        bars, rows = chart(html, chart_id)
        assert bars and bars == rows
    assert chart(html, "chart-activity")[0] == [("Lektiecafé", "5"), ("Åben café", "9")]
    assert chart(html, "chart-age")[0] == [("10-12", "2"), ("13-14", "1"), ("25-29", "1")]
    assert '<title id="chart-age-title">Unique participants by age band</title>' in html
    assert "<script" not in html.split("<main", 1)[1]  # no JavaScript for charts


def test_invalid_filter_falls_back_to_this_year(staff_client):
    response = staff_client.get("/staff/?start=2026-10-31&end=2026-10-01&project=999")
    assert response.status_code == 200
    assert "Sessions from 2026-01-01 to 2026-11-24" in response.get_data(as_text=True)


def test_annual_report_is_printable(staff_client):
    response = staff_client.get("/staff/report?year=2026")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Annual report 2026" in html
    figures = key_figures_of(html)
    assert (figures["attendances"], figures["unique_participants"]) == ("15", "4")
    assert (figures["sessions_held"], figures["new_participants"]) == ("5", "4")  # S0-S3, S5
    assert 'class="no-print' in html and "Børn og unge" in html
    empty = staff_client.get("/staff/report?year=2020").get_data(as_text=True)
    assert key_figures_of(empty)["attendances"] == "0"


def test_dashboard_needs_staff(client, world):
    assert client.get("/staff/").status_code == 302
    assert client.get("/staff/report").status_code == 302
