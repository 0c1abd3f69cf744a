"""Recognising the same person across bookings."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime

from sqlalchemy import select

from checkin.extensions import db
from checkin.models import Participant
from checkin.services.codes import new_pseudonym


def fold(text: str) -> str:
    """Lower case without accents, for matching and search: "Ørsted" -> "orsted"."""
    special = str.maketrans({"ø": "o", "æ": "ae", "å": "aa", "ß": "ss", "ł": "l", "đ": "d"})
    # Composed first, so "å" typed as "a" plus a ring folds like the one-letter "å".
    lowered = unicodedata.normalize("NFC", text.strip().lower()).translate(special)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_name(*names: str | None) -> str:
    """The folded names the desk searches in: "Sofie Ørsted" -> "sofie orsted"."""
    return " ".join(fold(name) for name in names if name and name.strip())


def match_key(*, contact: str, first_name: str, birth_year: int | None) -> str:
    """A one-way key for (contact, first name, birth year): equal people get equal keys, and the
    key itself shows no personal data in the database."""
    raw = "|".join((fold(contact), fold(first_name), str(birth_year or "")))
    return hashlib.sha256(raw.encode()).hexdigest()


def find_or_create_participant(
    *,
    contact: str,
    first_name: str,
    birth_year: int | None,
    gender: str | None,
    area_id: int | None,
    department_id: int | None,
    is_resident: bool | None,
    at: datetime,
) -> Participant:
    """The participant with the same contact, first name and birth year, or a new one.
    A merged participant resolves to the one it was merged into."""
    key = match_key(contact=contact, first_name=first_name, birth_year=birth_year)
    participant = db.session.scalar(
        select(Participant).where(Participant.match_key == key).order_by(Participant.id).limit(1)
    )
    while participant is not None and participant.merged_into_id is not None:
        participant = db.session.get(Participant, participant.merged_into_id)
    if participant is None:
        participant = Participant(
            pseudonym=new_pseudonym(),
            match_key=key,
            first_name=first_name,
            birth_year=birth_year,
            gender=gender,
            area_id=area_id,
            department_id=department_id,
            is_resident=is_resident,
            created_at=at,
        )
        db.session.add(participant)
        db.session.flush()
    return participant
