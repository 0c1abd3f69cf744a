"""Households sign up for what fits them, through the booking service, as they would have done.

Past bookings are made with an ``at`` before the session started, because that is when they were
made. A local mirror of the seats taken lets the demo book past sessions only where seats are free
(an open waiting list on a session that is over would be noise) and overbook a few coming ones on
purpose, so the waiting list has something to show.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from checkin.demo.households import Household, Person, as_details
from checkin.demo.world import World
from checkin.models import Booking, Occurrence
from checkin.services.booking import create_booking
from checkin.vocabulary import BookingScope, BookingSource

INFO_TEXT_VERSION = "2026-01"
ONLINE_SHARE = 0.8  # the rest were booked by staff at the office or over the phone

Chooser = Callable[[Household], list[Person]]


class Booker:
    """Books households and remembers what it booked, for the attendance that follows."""

    def __init__(self, rng: random.Random, world: World, households: list[Household]) -> None:
        self.rng, self.world, self.households = rng, world, households
        self.seats: dict[int, int] = defaultdict(int)  # mirrors Occurrence.seats_taken
        self.household_of: dict[int, Household] = {}  # booking id -> household
        self.waitlisted = 0

    def fits(self, sessions: Sequence[Occurrence], seats: int) -> bool:
        return all(s.capacity is None or self.seats[s.id] + seats <= s.capacity for s in sessions)

    def book(
        self,
        key: str,
        household: Household,
        people: Sequence[Person],
        sessions: Sequence[Occurrence],
        *,
        booked_at: datetime,
        scope: BookingScope = BookingScope.SESSION,
    ) -> Booking:
        rng = self.rng
        by_staff = rng.random() > ONLINE_SHARE
        booking = create_booking(
            self.world.activities[key],
            sessions=sessions,
            contact=household.contact,
            attendees=as_details(people),
            at=booked_at,
            info_text_version=INFO_TEXT_VERSION,
            scope=scope,
            by=rng.choice(self.world.users["staff"]) if by_staff else None,
            source=BookingSource.OFFICE if by_staff else BookingSource.ONLINE,
        )
        # The service takes all seats or waitlists the household, by the same rule as fits().
        for session in sessions:
            if self.fits([session], len(people)):
                self.seats[session.id] += len(people)
            else:
                self.waitlisted += 1
            household.booked.add(session.id)
        self.household_of[booking.id] = household
        return booking

    def booked_before(self, session: Occurrence, *, days: tuple[float, float]) -> datetime:
        """A plausible moment of sign-up: some days before the session, and never after now."""
        rng = self.rng
        planned = session.starts_at - timedelta(days=rng.uniform(*days))
        latest = self.world.at - timedelta(minutes=rng.randint(5, 3 * 24 * 60))
        return min(planned, latest)

    def series(self, key: str, choose: Chooser, *, share: float, headroom: int = 0) -> None:
        """Households with someone who fits book the series, from the first date in the window
        or from when they joined later, as long as every remaining date has room (keeping
        ``headroom`` seats free for whoever signs up in the demo)."""
        rng, sessions = self.rng, self.world.sessions[key]
        first = sessions[0].starts_at
        candidates = list(self.households)
        rng.shuffle(candidates)
        for household in candidates:
            people = choose(household)
            if not people or rng.random() > share:
                continue
            if rng.random() < 0.6:
                booked_at = first - timedelta(days=rng.uniform(2, 12))
            else:
                booked_at = first + (self.world.at - first) * rng.uniform(0.05, 0.95)
            coming = [s for s in sessions if s.starts_at > booked_at]
            if coming and self.fits(coming, len(people) + headroom):
                self.book(
                    key, household, people, coming, booked_at=booked_at, scope=BookingScope.SERIES
                )

    def per_session(
        self,
        key: str,
        choose: Chooser,
        *,
        fill: Callable[[int, Occurrence], float],
        weight: Callable[[Household], float] = lambda h: 1.0,
        top_up: bool = False,
    ) -> None:
        """For each session, households sign up until demand reaches ``fill`` of capacity. A fill
        above 1 overbooks: the surplus lands on the waiting list. ``top_up`` fills the last free
        seats with part of a household (a parent and the first children)."""
        rng = self.rng
        for index, session in enumerate(self.world.sessions[key]):
            target = (session.capacity or 30) * fill(index, session)  # 30: a room's worth
            demand = 0
            # Weighted shuffle (Efraimidis-Spirakis): heavier households tend to come first.
            order = sorted(self.households, key=lambda h: -(rng.random() ** (1 / weight(h))))
            for household in order:
                if demand >= target:
                    break
                people = choose(household)
                if not people or session.id in household.booked:
                    continue
                if target <= (session.capacity or target) and not self.fits([session], len(people)):
                    continue
                booked_at = self.booked_before(session, days=(1, 14))
                self.book(key, household, people, [session], booked_at=booked_at)
                demand += len(people)
            left = None if session.capacity is None else session.capacity - self.seats[session.id]
            if top_up and left:
                for household in order:
                    people = choose(household)
                    if session.id not in household.booked and len(people) > left:
                        booked_at = self.booked_before(session, days=(0.5, 3))
                        self.book(key, household, people[:left], [session], booked_at=booked_at)
                        break


def _past_or_coming(world: World, past: tuple[float, float], coming: tuple[float, float], rng):
    def fill(_index: int, session: Occurrence) -> float:
        return rng.uniform(*(past if session.starts_at <= world.at else coming))

    return fill


def book_households(rng: random.Random, world: World, households: list[Household]) -> Booker:
    """Sign households up for the activities that fit them; returns the booker with its record."""
    year = world.year
    booker = Booker(rng, world, households)

    def children(low: int, high: int) -> Chooser:
        return lambda h: [p for p in h.aged(year, low, high) if p.role == "child"]

    def girls(h: Household) -> list[Person]:
        return [p for p in children(10, 17)(h) if p.gender == "female"]

    def parents(h: Household) -> list[Person]:
        if not children(0, 12)(h):
            return []
        return (
            h.members[:2]
            if rng.random() < 0.15 and h.members[1].role == "parent"
            else h.members[:1]
        )

    def language_learners(h: Household) -> list[Person]:
        adults = [p for p in h.aged(year, 18, 64) if p.role != "child"]
        if h.origin == "danish" or not adults:
            return []
        return adults[:2] if rng.random() < 0.3 else adults[:1]

    def seniors(h: Household) -> list[Person]:
        return [p for p in h.members if p.role == "senior"]

    def crafters(h: Household) -> list[Person]:
        kids = children(4, 14)(h)
        if kids:
            return [h.members[0], *kids[:3]]
        return h.members[:1] if rng.random() < 0.4 else []

    def families(h: Household) -> list[Person]:
        return list(h.members) if h.has_children else []

    booker.series("homework", children(6, 16), share=0.75, headroom=3)
    booker.series("football", girls, share=0.8)
    booker.series("parents", parents, share=0.35, headroom=2)
    booker.series("language", language_learners, share=0.45, headroom=2)
    booker.series("seniors", seniors, share=0.75, headroom=3)

    def dinner_fill(index: int, session: Occurrence) -> float:
        if session.starts_at <= world.at:
            return rng.uniform(0.65, 0.95)
        dinners = world.sessions["dinner"]
        if index == 0 or dinners[index - 1].starts_at <= world.at:
            return 1.1  # the next dinner is popular: its last places go to the waiting list
        return rng.uniform(0.25, 0.55)

    booker.per_session(
        "dinner",
        lambda h: list(h.members),
        fill=dinner_fill,
        weight=lambda h: 3.0 if h.has_children else 1.0,
    )
    booker.per_session("crafts", crafters, fill=_past_or_coming(world, (0.5, 0.9), (0.2, 0.6), rng))
    booker.per_session("trip_past", families, fill=lambda i, s: 1.0, top_up=True)
    booker.per_session("trip_next", families, fill=lambda i, s: 1.25, top_up=True)
    return booker
