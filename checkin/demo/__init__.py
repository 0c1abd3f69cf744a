"""Realistic demo data for Randers Nordby, loaded by ``flask demo``.

Everything is made through the services (planning, accounts, booking, check-in), so the demo
obeys the same rules as real use. It is deterministic (a seeded random generator) except for the
random codes and tokens, and idempotent: when the demo's admin login exists, nothing is added.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select

from checkin.demo.attendance import record_attendance
from checkin.demo.bookings import book_households
from checkin.demo.data import AREA_WEIGHTS, PASSWORDS, STAFF
from checkin.demo.households import make_households
from checkin.demo.summary import summarise
from checkin.demo.volunteering import add_volunteering
from checkin.demo.world import build_world
from checkin.extensions import db
from checkin.models import User

SEED = 2026
HOUSEHOLDS = 100

# role -> (e-mail, password) of the printed demo logins: the first user of each role.
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    role: next((email, PASSWORDS[role]) for r, email, _ in STAFF if r == role)
    for role in ("admin", "staff", "volunteer")
}


def demo_exists() -> bool:
    admin_email = DEMO_LOGINS["admin"][0]
    return db.session.scalar(select(User.id).where(User.email == admin_email)) is not None


def load_demo(*, at: datetime) -> str:
    """Load the demo as it would look at ``at`` (aware): six months of history and two months of
    plans. Flushes but does not commit. Returns a short summary of what the database holds."""
    if at.tzinfo is None:
        raise ValueError("load_demo needs an aware datetime")
    if demo_exists():
        return summarise(at=at, headline="Demo data already present; nothing added")
    rng = random.Random(SEED)
    world = build_world(at)
    households = make_households(
        rng,
        count=HOUSEHOLDS,
        year=world.year,
        areas=list(zip(world.areas, AREA_WEIGHTS, strict=True)),
    )
    booker = book_households(rng, world, households)
    record_attendance(rng, world, booker, households)
    add_volunteering(rng, world)
    db.session.flush()
    return summarise(at=at, headline="Demo data loaded for Randers Nordby")


__all__ = ["DEMO_LOGINS", "demo_exists", "load_demo"]
