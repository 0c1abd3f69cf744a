"""The drill's scenario, made through the app's own services in the freshly migrated database.

- "Drill: Fællesspisning": one session of 40 seats starting in half an hour (the rush books it);
- "Drill: Koncert": a session of 5,000 seats (bookings keep coming while the backup runs);
- "Drill: Lektiecafé": a session starting now, with single-person bookings whose tickets the
  desks scan, in pools for the scan burst, the database-kill phase and the backup phase;
- a desk link (token + PIN) for the desks, opened through the API like a tablet would.

The seeded bookings' own confirmation messages are marked as not needed, so the outbox the
workers drain holds only what the residents' requests queued.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

POOLS = {"burst": 600, "pgkill": 200, "backup": 300}
RUSH_CAPACITY = 40


def seed() -> dict[str, Any]:
    from checkin import create_app
    from checkin.extensions import db
    from checkin.models import OutboxMessage
    from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
    from checkin.services.desk import create_desk_link
    from checkin.services.planning import create_activity, create_project, create_session

    app = create_app()
    with app.app_context():
        now = datetime.now(UTC)
        project = create_project("Drill", at=now)

        def activity_with_session(name: str, capacity: int | None, starts_in: timedelta):
            activity = create_activity(project, name, at=now, default_capacity=capacity)
            session = create_session(
                activity, starts_at=now + starts_in, ends_at=now + starts_in + timedelta(hours=3)
            )
            return activity, session

        rush, rush_session = activity_with_session(
            "Drill: Fællesspisning", RUSH_CAPACITY, timedelta(minutes=30)
        )
        concert, concert_session = activity_with_session(
            "Drill: Koncert", 5000, timedelta(minutes=30)
        )
        cafe, desk_session = activity_with_session("Drill: Lektiecafé", None, timedelta(0))

        pools: dict[str, list[str]] = {}
        n = 0
        for pool, size in POOLS.items():
            codes = pools.setdefault(pool, [])
            for _ in range(size):
                n += 1
                booking = create_booking(
                    cafe,
                    sessions=[desk_session],
                    contact=ContactDetails(name=f"Drill Beboer {n}", phone=f"+4529{n:06d}"),
                    attendees=[AttendeeDetails(first_name=f"Barn {n}", birth_year=2014)],
                    at=now - timedelta(hours=1),  # booked before the door opened
                    info_text_version="drill",
                )
                codes.append(booking.attendees[0].ticket_code)
        _link, link_token, pin = create_desk_link("Drill tablet", by=None, at=now)
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None))
            .values(sent_at=now, last_error="not needed: drill seed")
        )
        db.session.commit()
        outbox_before = db.session.scalar(select(func.coalesce(func.max(OutboxMessage.id), 0)))
        state = {
            "rush": {"slug": rush.slug, "session_id": rush_session.id, "capacity": RUSH_CAPACITY},
            "concert": {"slug": concert.slug, "session_id": concert_session.id},
            "desk": {
                "session_id": desk_session.id,
                "link_token": link_token,
                "pin": pin,
                "pools": pools,
            },
            "outbox_before": int(outbox_before or 0),
        }
        db.engine.dispose()
    return state
