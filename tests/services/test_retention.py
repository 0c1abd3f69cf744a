"""Invariant 7: personal data past retention is anonymised and the figures stay the same."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from checkin.demo import load_demo
from checkin.extensions import db
from checkin.models import Attendee, AuditLog, Booking, Participant
from checkin.services import clock
from checkin.services.booking import find_booking_by_token
from checkin.services.privacy import anonymise_expired, retention_cutoff
from checkin.services.stats import StatsFilter, evaluation_tables, key_figures


def test_cutoff_moves_back_whole_months():
    at = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert retention_cutoff(at, 1) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert retention_cutoff(at, 12) == datetime(2025, 3, 31, 12, tzinfo=UTC)
    assert retention_cutoff(at, 14) == datetime(2025, 1, 31, 12, tzinfo=UTC)


@pytest.fixture
def demo(app, frozen_clock):
    load_demo(at=clock.now())
    db.session.commit()


def _figures(period: StatsFilter):
    tables = [
        (
            table.title,
            [(r.project, r.activity, r.group, r.unique, r.attendances, r.new) for r in table.rows],
        )
        for table in evaluation_tables(period)
    ]
    return key_figures(period, at=clock.now()), tables


def test_anonymising_keeps_every_figure_and_removes_names(demo):
    now = clock.now()
    period = StatsFilter(start=(now - timedelta(days=200)).date(), end=now.date())
    first_quarter = StatsFilter(start=period.start, end=period.start + timedelta(days=90))
    before = [_figures(period), _figures(first_quarter)]
    tokens = dict(db.session.execute(select(Booking.id, Booking.manage_token)).all())

    report = anonymise_expired(at=now, months=3)
    db.session.commit()

    assert report.bookings > 50 and report.attendees > report.bookings
    assert [_figures(period), _figures(first_quarter)] == before
    old = db.session.scalars(select(Booking).where(Booking.anonymized_at.is_not(None))).all()
    assert all(b.contact_phone is None and b.contact_email is None for b in old)
    assert all(a.first_name is None and a.search_name is None for b in old for a in b.attendees)
    assert all(find_booking_by_token(tokens[b.id]) is None for b in old[:20])
    recent = db.session.scalars(select(Booking).where(Booking.anonymized_at.is_(None))).all()
    assert recent and all(b.contact_phone or b.contact_email for b in recent)
    assert db.session.scalar(
        select(func.count(Participant.id)).where(Participant.anonymized_at.is_not(None))
    )
    audit = db.session.scalars(select(AuditLog).where(AuditLog.action == "anonymise")).one()
    assert audit.details["bookings"] == report.bookings

    # People still coming keep their names; forgotten participants lose name and key.
    assert db.session.scalar(
        select(func.count(Attendee.id)).where(Attendee.first_name.is_not(None))
    )
    for participant in db.session.scalars(
        select(Participant).where(Participant.anonymized_at.is_not(None))
    ):
        assert participant.first_name is None and participant.match_key is None

    again = anonymise_expired(at=now, months=3)
    assert (again.bookings, again.attendees, again.participants) == (0, 0, 0)


def test_flask_command_anonymises(app, frozen_clock):
    result = app.test_cli_runner().invoke(args=["anonymize"])
    assert result.exit_code == 0, result.output
    assert "anonymised 0 bookings" in result.output
