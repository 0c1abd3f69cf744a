"""A small, hand-counted evaluation fixture built through the services.

October 2026 (the period) at Nordby; the clock stands at FROZEN_AT (24 November 2026).

- Project "Børn og unge", activity "Lektiecafé" (X): sessions S0 15 Sep (before the period),
  S1 6 Oct, S2 13 Oct, S4 27 Oct (cancelled), S5 3 Nov (after).
- Project "Fællesskab", open activity "Åben café" (Y): session S3 20 Oct.
- Booking B1 (Ærøvej, resident): Amina (2015, female) and Omar (2012, male) for S0, S1, S2.
  Booking B2 (Ærøvej): Sofie (2016, female) for S1, S2. Booking B3 (Udenbys, not resident):
  Lars (1980, male) for S1. Booking B4 (Ærøvej, another phone): Amina (2015) for S3; her
  participant is merged into B1's Amina.
- Present: S0 Amina; S1 Amina, Omar, Sofie (Lars no-show); S2 Amina, Sofie (Omar checked in
  and undone: a no-show); S3 Amina (B4), walk-in Ali (25-29, male, Udenbys), headcounts
  5 "child" and 2 "30-64".
- Smileys 5 and 4 at S1, 3 at S3. Volunteers: V1 120 min at S1 and 90 at S2, V2 60 at S3.
- Target: Lektiecafé, 10 unique participants, October to December 2026.

Hand counts for October: sessions held 3; attendances 14 (7 anonymous); unique participants 4
(Amina, Omar, Sofie, Ali); new 3 (Amina came in September: returning); retention 2 of 4
(Amina on 3 days, Sofie on 2); bookings 4; booked expected 8, checked in 6, no-shows 2, rate
75 %; walk-ins 1 of 14; volunteers 2, 4.5 hours; satisfaction 4.0 from 3 smileys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from checkin.extensions import db
from checkin.models import Participant, Target, VolunteerShift
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from checkin.services.desk import (
    check_in_attendee,
    record_feedback,
    record_headcount,
    register_walk_in,
)
from checkin.services.planning import create_activity, create_area, create_project, create_session
from tests.factories import make_user

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))
BOOKED_AT = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


@dataclass
class StatsWorld:
    area_home: int
    area_away: int
    project_x: int
    project_y: int
    activity_x: int
    activity_y: int
    sessions: dict[str, int]
    staff_id: int
    admin_id: int


def _utc(day: str, hour: int = 14) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00")


def build_stats_world() -> StatsWorld:
    home = create_area("Ærøvej-området", departments=["Østergade"], is_resident_area=True)
    away = create_area("Udenbys", departments=[], is_resident_area=False)
    project_x = create_project("Børn og unge", at=BOOKED_AT)
    project_y = create_project("Fællesskab", at=BOOKED_AT)
    x = create_activity(project_x, "Lektiecafé", at=BOOKED_AT, default_capacity=20)
    y = create_activity(project_y, "Åben café", at=BOOKED_AT, signup_required=False)
    s = {}
    for name, activity, day in (
        ("S0", x, "2026-09-15"),
        ("S1", x, "2026-10-06"),
        ("S2", x, "2026-10-13"),
        ("S3", y, "2026-10-20"),
        ("S4", x, "2026-10-27"),
        ("S5", x, "2026-11-03"),
    ):
        s[name] = create_session(activity, starts_at=_utc(day), ends_at=_utc(day, 16))

    def book(activity, sessions, phone, area, people):
        return create_booking(
            activity,
            sessions=sessions,
            contact=ContactDetails(
                name="Kontakt",
                phone=phone,
                area_id=area.id,
                department_id=area.departments[0].id if area.departments else None,
            ),
            attendees=[AttendeeDetails(first_name=n, birth_year=y, gender=g) for n, y, g in people],
            at=BOOKED_AT,
            info_text_version="test-1",
        )

    b1 = book(
        x,
        [s["S0"], s["S1"], s["S2"]],
        "+4520000001",
        home,
        [("Amina", 2015, "female"), ("Omar", 2012, "male")],
    )
    b2 = book(x, [s["S1"], s["S2"]], "+4520000002", home, [("Sofie", 2016, "female")])
    b3 = book(x, [s["S1"]], "+4520000003", away, [("Lars", 1980, "male")])
    b4 = book(y, [s["S3"]], "+4520000004", home, [("Amina", 2015, "female")])
    amina, omar = b1.attendees
    (sofie,), (lars,), (amina_again,) = b2.attendees, b3.attendees, b4.attendees
    merged = db.session.get(Participant, amina_again.participant_id)
    merged.merged_into_id = amina.participant_id
    assert lars.id

    volunteer, other = make_user("volunteer"), make_user("volunteer")
    seq = iter(range(1000))

    def present(attendee, session):
        at = session.starts_at + timedelta(minutes=5)
        return check_in_attendee(
            attendee, session=session, by=volunteer, at=at, client_id=f"c{next(seq)}"
        )

    present(amina, s["S0"])
    for person in (amina, omar, sofie):
        present(person, s["S1"])
    present(amina, s["S2"])
    present(sofie, s["S2"])
    undone = present(omar, s["S2"])
    undone.undone_at = undone.recorded_at + timedelta(minutes=1)
    present(amina_again, s["S3"])
    register_walk_in(
        s["S3"],
        first_name="Ali",
        age_band="25-29",
        area_id=away.id,
        is_resident=False,
        gender="male",
        by=volunteer,
        at=s["S3"].starts_at,
        client_id="walk-1",
    )
    for band, count in (("child", 5), ("30-64", 2)):
        record_headcount(
            s["S3"],
            age_band=band,
            count=count,
            by=volunteer,
            at=s["S3"].starts_at,
            client_id=f"head-{band}",
        )
    for session, score in ((s["S1"], 5), (s["S1"], 4), (s["S3"], 3)):
        record_feedback(session, score=score, at=session.ends_at)
    for user, session, minutes in (
        (volunteer, "S1", 120),
        (volunteer, "S2", 90),
        (other, "S3", 60),
    ):
        db.session.add(
            VolunteerShift(
                user_id=user.id,
                session_id=s[session].id,
                minutes=minutes,
                created_at=s[session].ends_at,
            )
        )
    s["S4"].status = "cancelled"
    s["S4"].cancelled_at = BOOKED_AT
    db.session.add(
        Target(
            activity_id=x.id,
            metric="unique_participants",
            value=10,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 12, 31),
        )
    )
    staff, admin = make_user("staff"), make_user("admin")
    db.session.flush()
    return StatsWorld(
        area_home=home.id,
        area_away=away.id,
        project_x=project_x.id,
        project_y=project_y.id,
        activity_x=x.id,
        activity_y=y.id,
        sessions={name: session.id for name, session in s.items()},
        staff_id=staff.id,
        admin_id=admin.id,
    )
