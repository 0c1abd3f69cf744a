"""What happened at the sessions that have started: check-ins with no-shows, walk-ins, anonymous
headcounts at open activities, and smileys at the door. All recorded by volunteers through the
check-in services, at the time it happened."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from checkin.demo.bookings import Booker
from checkin.demo.households import Household, Person
from checkin.demo.world import World
from checkin.extensions import db
from checkin.models import Attendee, BookingSession, Occurrence, User
from checkin.services.ages import age_band
from checkin.services.desk import (
    check_in_attendee,
    record_feedback,
    record_headcount,
    register_walk_in,
)
from checkin.vocabulary import CheckInMethod, SeatStatus

PRESENT_IF_HOUSEHOLD_COMES = 0.94  # a child is ill, a parent stays home
DEVICES = ("Tablet 1", "Tablet 2", "Frivilligs telefon")
SMILEY_WEIGHTS = (3, 5, 12, 32, 48)  # scores 1..5
# Anonymous headcounts per open activity: age band -> (fewest, most) people per session.
HEADCOUNTS = {
    "jobs": {"18-24": (0, 2), "25-29": (0, 3), "30-64": (2, 8), "65+": (0, 1)},
    "youth_club": {"13-14": (2, 9), "15-17": (3, 11)},
}
# Walk-ins per session: (chance of any, most).
WALK_INS = {"jobs": (0.8, 3), "youth_club": (0.5, 2), "trip_past": (0.0, 0)}
DEFAULT_WALK_INS = (0.3, 2)
# Smileys per session: (fewest, most).
SMILEYS = {"dinner": (6, 14), "trip_past": (12, 22), "jobs": (0, 4)}
DEFAULT_SMILEYS = (0, 6)


def _client_id() -> str:
    return str(uuid.uuid4())


class Desk:
    """One volunteer at the door of one session."""

    def __init__(self, rng: random.Random, world: World, session: Occurrence) -> None:
        self.rng, self.world, self.session = rng, world, session
        self.volunteer: User = rng.choice(world.users["volunteer"])
        self.device = rng.choice(DEVICES)

    def moment(self, minutes: tuple[float, float]) -> datetime | None:
        """A time relative to the start, or None when that is still in the future."""
        moment = self.session.starts_at + timedelta(minutes=self.rng.uniform(*minutes))
        return moment if moment <= self.world.at else None

    def check_in_households(
        self, bookings: dict[int, list[Attendee]], booker: Booker, *, one_off: bool
    ) -> None:
        """Each booked household turns up or not as a whole (people who booked a one-off trip
        nearly always do); a member now and then stays home."""
        rng = self.rng
        for booking_id, attendees in bookings.items():
            household = booker.household_of[booking_id]
            reliability = max(household.propensity, 0.92) if one_off else household.propensity
            if rng.random() > reliability:
                continue  # the whole household is a no-show
            methods = (CheckInMethod.SCAN, CheckInMethod.HOUSEHOLD, CheckInMethod.SEARCH)
            method = rng.choices(methods, weights=(70, 15, 15))[0]
            arrived = self.moment((-10, 20))
            for attendee in attendees:
                if rng.random() > PRESENT_IF_HOUSEHOLD_COMES or arrived is None:
                    continue
                check_in_attendee(
                    attendee,
                    session=self.session,
                    by=self.volunteer,
                    at=arrived + timedelta(seconds=rng.randint(5, 90)),
                    client_id=_client_id(),
                    method=method,
                    device=self.device,
                )

    def walk_ins(self, households: list[Household], *, chance: float, most: int) -> None:
        rng, activity = self.rng, self.session.activity
        if most == 0 or rng.random() > chance:
            return
        low, high = activity.min_age or 0, activity.max_age or 120
        for _ in range(rng.randint(1, most)):
            household = rng.choice(households)
            if self.session.id in household.booked:
                continue
            fitting: list[tuple[Person, int]] = [
                (p, age) for p, age in household.ages(self.world.year) if low <= age <= high
            ]
            arrived = self.moment((0, 45))
            if not fitting or arrived is None:
                continue
            person, age = rng.choice(fitting)
            register_walk_in(
                self.session,
                first_name=person.first_name,
                age_band=age_band(age),
                gender=person.gender,
                area_id=household.area.id,
                is_resident=household.area.is_resident_area,
                by=self.volunteer,
                at=arrived,
                client_id=_client_id(),
                device=self.device,
            )

    def headcounts(self, bands: dict[str, tuple[int, int]]) -> None:
        counted = self.moment((50, 70))
        if counted is None:
            return
        for band, (fewest, most) in bands.items():
            count = self.rng.randint(fewest, most)
            if count:
                record_headcount(
                    self.session,
                    age_band=band,
                    count=count,
                    by=self.volunteer,
                    at=counted,
                    client_id=_client_id(),
                    device=self.device,
                )

    def smileys(self, fewest: int, most: int) -> None:
        if self.session.ends_at > self.world.at:
            return
        for _ in range(self.rng.randint(fewest, most)):
            given = self.session.ends_at - timedelta(minutes=self.rng.uniform(0, 20))
            score = self.rng.choices(range(1, 6), weights=SMILEY_WEIGHTS)[0]
            record_feedback(self.session, score=score, at=given)


def _confirmed_attendees(at: datetime) -> dict[int, dict[int, list[Attendee]]]:
    """session id -> booking id -> attendees, for confirmed seats at sessions that started."""
    rows = db.session.execute(
        select(BookingSession.session_id, BookingSession.booking_id, Attendee)
        .join(Attendee, Attendee.booking_id == BookingSession.booking_id)
        .join(Occurrence, Occurrence.id == BookingSession.session_id)
        .where(
            BookingSession.status == SeatStatus.CONFIRMED,
            Occurrence.starts_at <= at,
            Attendee.cancelled_at.is_(None),
        )
        .order_by(BookingSession.session_id, BookingSession.booking_id, Attendee.id)
    )
    grouped: dict[int, dict[int, list[Attendee]]] = defaultdict(lambda: defaultdict(list))
    for session_id, booking_id, attendee in rows:
        grouped[session_id][booking_id].append(attendee)
    return grouped


def record_attendance(
    rng: random.Random, world: World, booker: Booker, households: list[Household]
) -> None:
    """Check in, count and collect smileys at every session that has started by ``world.at``."""
    booked = _confirmed_attendees(world.at)
    for key, sessions in world.sessions.items():
        for session in sessions:
            if session.starts_at > world.at:
                break
            desk = Desk(rng, world, session)
            one_off = world.specs[key].schedule.kind == "once"
            desk.check_in_households(booked.get(session.id, {}), booker, one_off=one_off)
            chance, most = WALK_INS.get(key, DEFAULT_WALK_INS)
            desk.walk_ins(households, chance=chance, most=most)
            if key in HEADCOUNTS:
                desk.headcounts(HEADCOUNTS[key])
            desk.smileys(*SMILEYS.get(key, DEFAULT_SMILEYS))
