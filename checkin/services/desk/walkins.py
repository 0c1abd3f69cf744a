"""People who come to a session without a booking and are registered at the door."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Attendee, CheckIn, Occurrence, Participant, User
from checkin.services.ages import age_band as band_for_age
from checkin.services.ages import age_in
from checkin.services.codes import new_pseudonym, new_ticket_code
from checkin.services.desk.presence import check_in_attendee
from checkin.services.errors import DomainError
from checkin.services.people.matching import search_name
from checkin.vocabulary import (
    AGE_UNKNOWN,
    AgeBand,
    CheckInMethod,
    Gender,
    SessionStatus,
    member_or_none,
)


def _walk_in_band(age_band: str | None, birth_year: int | None, *, at: datetime) -> AgeBand | None:
    """The band to store: the chosen one, else the birth year's; None for "don't know"."""
    if age_band == AGE_UNKNOWN:
        return None
    if age_band is None:
        if birth_year is None:
            raise DomainError(
                "age_required", _l("Choose the age, or “Don't know”."), field="age_band"
            )
        return band_for_age(max(age_in(at.year, birth_year), 0))
    band = member_or_none(AgeBand, age_band)
    if band is None:
        raise DomainError("invalid_age_band", _l("Unknown age band."), field="age_band")
    return band


def register_walk_in(
    session: Occurrence,
    *,
    first_name: str | None,
    age_band: str | None,
    area_id: int | None,
    is_resident: bool | None,
    by: User | None,
    at: datetime,
    client_id: str,
    birth_year: int | None = None,
    gender: str | None = None,
    device: str | None = None,
    occurred_at: datetime | None = None,
) -> CheckIn:
    """Register a person who walked in without a booking and check them in (method "walk_in").

    The walk-in gets an attendee without a booking (and so takes no seat: seats count bookings)
    and a participant of their own, without a matching key because there is no contact to match
    on; staff may merge it later. The age band is given or derived from the birth year; it feeds
    the age figures, so it never defaults: without either the walk-in is refused
    (``age_required``), and the explicit answer ``AGE_UNKNOWN`` ("don't know") is stored as no
    band, counted as unknown. A repeated ``client_id`` (an offline queue synced twice) returns
    the original check-in and creates nobody new.
    """
    replay = db.session.scalar(select(CheckIn).where(CheckIn.client_id == client_id))
    if replay is not None:
        return replay
    if session.status != SessionStatus.SCHEDULED:
        raise DomainError("session_cancelled", _l("This session is cancelled."))
    name = (first_name or "").strip() or None  # a walk-in may stay nameless
    band = _walk_in_band(age_band, birth_year, at=at)
    known_gender = member_or_none(Gender, gender)
    if gender is not None and known_gender is None:
        raise DomainError("invalid_gender", _l("Unknown gender."), field="gender")

    participant = Participant(
        pseudonym=new_pseudonym(),
        match_key=None,
        first_name=name,
        birth_year=birth_year,
        gender=known_gender,
        area_id=area_id,
        is_resident=is_resident,
        created_at=at,
    )
    db.session.add(participant)
    db.session.flush()
    attendee = Attendee(
        booking_id=None,
        participant_id=participant.id,
        first_name=name,
        birth_year=birth_year,
        age_band=band,
        gender=known_gender,
        area_id=area_id,
        is_resident=is_resident,
        ticket_code=new_ticket_code(),
        search_name=search_name(name) or None,
        created_at=at,
    )
    db.session.add(attendee)
    db.session.flush()
    return check_in_attendee(
        attendee,
        session=session,
        by=by,
        at=at,
        client_id=client_id,
        method=CheckInMethod.WALK_IN,
        device=device,
        occurred_at=occurred_at,
    )
