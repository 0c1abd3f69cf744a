"""People behind the bookings: finding participants, suggesting and merging duplicates, and
what a person has taken part in.

A participant is matched automatically on contact + first name + birth year. The same person
booked by another relative (another phone number) becomes a second participant; staff merge
them, and evaluation figures then count one person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select, update

from checkin.database import rows_changed
from checkin.extensions import db
from checkin.models import (
    Activity,
    Attendee,
    Booking,
    BookingSession,
    CheckIn,
    Occurrence,
    Participant,
    User,
)
from checkin.services.audit import record_audit
from checkin.services.errors import DomainError
from checkin.services.people.matching import fold
from checkin.vocabulary import SeatStatus

PAGE_SIZE = 50


def _active() -> tuple[ColumnElement[bool], ...]:
    return (Participant.merged_into_id.is_(None), Participant.anonymized_at.is_(None))


def search_participants(
    query: str = "", *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[Participant]:
    """Participants not merged away nor anonymised, newest first; ``query`` matches the folded
    names on their attendee rows (first, last and the contact's name) or the birth year."""
    statement = select(Participant).where(*_active())
    query = (query or "").strip()
    if query:
        pattern = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        matching = select(Attendee.participant_id).where(
            Attendee.search_name.like(f"%{pattern}%", escape="\\")
        )
        conditions: list[ColumnElement[bool]] = [Participant.id.in_(matching)]
        if query.isascii() and query.isdigit() and len(query) == 4:
            conditions.append(Participant.birth_year == int(query))
        statement = statement.where(or_(*conditions))
    return list(
        db.session.scalars(
            statement.order_by(Participant.created_at.desc(), Participant.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def suggest_duplicates() -> list[list[Participant]]:
    """Groups of participants that may be one person: the same folded first name and birth
    year, or the same match key. Merged and anonymised participants are left out."""
    people = db.session.scalars(select(Participant).where(*_active()).order_by(Participant.id))
    # Keyed by ("name", folded first name, birth year) or ("key", match key).
    groups: dict[tuple[str | int, ...], list[Participant]] = defaultdict(list)
    for person in people:
        if person.first_name and person.birth_year:
            groups[("name", fold(person.first_name), person.birth_year)].append(person)
        if person.match_key:
            groups[("key", person.match_key)].append(person)
    seen: set[tuple[int, ...]] = set()
    found: list[list[Participant]] = []
    for members in groups.values():
        ids = tuple(p.id for p in members)
        if len(members) > 1 and ids not in seen:
            seen.add(ids)
            found.append(members)
    return sorted(found, key=lambda group: [p.id for p in group])


def merge_participants(
    keep: Participant, merge: Participant, *, at: datetime, by: User | None
) -> None:
    """Merge ``merge`` into ``keep``: every attendee row of ``merge`` (and so its bookings and
    check-ins) now belongs to ``keep``, participants merged earlier into ``merge`` follow, and
    ``merge`` stays as a row pointing at ``keep`` so new bookings matching it land on ``keep``.
    Details ``keep`` lacks are taken from ``merge``. Audit-logged."""
    if keep.id == merge.id:
        raise DomainError("same_person", _l("Choose two different people."))
    if keep.merged_into_id is not None or merge.merged_into_id is not None:
        raise DomainError("already_merged", _l("One of them is already merged."))
    if keep.anonymized_at is not None or merge.anonymized_at is not None:
        raise DomainError("anonymised", _l("Anonymised people cannot be merged."))
    moved = rows_changed(
        update(Attendee)
        .where(Attendee.participant_id == merge.id)
        .values(participant_id=keep.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Participant)
        .where(Participant.merged_into_id == merge.id)
        .values(merged_into_id=keep.id)
        .execution_options(synchronize_session=False)
    )
    for name in ("first_name", "birth_year", "gender", "area_id", "department_id", "is_resident"):
        if getattr(keep, name) is None:
            setattr(keep, name, getattr(merge, name))
    merge.merged_into_id = keep.id
    db.session.flush()
    db.session.expire_all()
    record_audit(
        "merge_participants",
        by=by,
        at=at,
        object_type="participant",
        object_id=keep.id,
        merged=merge.id,
        attendees=moved,
    )


def person_attendees(participant: Participant) -> list[Attendee]:
    """The person's attendee rows (one per booking or walk-in), newest first."""
    return list(
        db.session.scalars(
            select(Attendee)
            .where(Attendee.participant_id == participant.id)
            .order_by(Attendee.created_at.desc(), Attendee.id.desc())
        )
    )


@dataclass(frozen=True)
class PersonActivity:
    activity: Activity
    booked: int  # sessions with a confirmed seat on one of the person's bookings
    attended: int  # sessions with an active check-in
    last_seen: datetime | None


def person_activities(participant: Participant) -> list[PersonActivity]:
    """Per activity: the sessions the person was booked for and attended (active check-ins)."""
    attendee_ids = select(Attendee.id).where(Attendee.participant_id == participant.id)
    attended = db.session.execute(
        select(Occurrence.activity_id, func.count(func.distinct(CheckIn.session_id)))
        .join(Occurrence, Occurrence.id == CheckIn.session_id)
        .where(CheckIn.attendee_id.in_(attendee_ids), CheckIn.undone_at.is_(None))
        .group_by(Occurrence.activity_id)
    ).all()
    last_seen = dict(
        db.session.execute(
            select(Occurrence.activity_id, func.max(CheckIn.occurred_at))
            .join(Occurrence, Occurrence.id == CheckIn.session_id)
            .where(CheckIn.attendee_id.in_(attendee_ids), CheckIn.undone_at.is_(None))
            .group_by(Occurrence.activity_id)
        ).all()
    )
    booked = db.session.execute(
        select(Booking.activity_id, func.count(func.distinct(BookingSession.session_id)))
        .join(BookingSession, BookingSession.booking_id == Booking.id)
        .join(Attendee, Attendee.booking_id == Booking.id)
        .where(
            Attendee.participant_id == participant.id,
            BookingSession.status == SeatStatus.CONFIRMED,
        )
        .group_by(Booking.activity_id)
    ).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for activity_id, n in booked:
        counts[activity_id][0] = n
    for activity_id, n in attended:
        counts[activity_id][1] = n
    activities = {
        a.id: a for a in db.session.scalars(select(Activity).where(Activity.id.in_(list(counts))))
    }
    rows = [PersonActivity(activities[i], b, a, last_seen.get(i)) for i, (b, a) in counts.items()]
    return sorted(rows, key=lambda row: row.activity.name.lower())
