"""Recording a message owed to a resident, in the transaction that causes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from checkin.extensions import db
from checkin.models import Booking, Occurrence, OutboxMessage
from checkin.vocabulary import MessageKind


def enqueue_message(
    kind: MessageKind, booking: Booking, *, session: Occurrence | None = None, at: datetime
) -> OutboxMessage:
    """Queue one message of ``kind`` for ``booking`` (about ``session``). A promotion or reminder
    is queued at most once per booking and session: asking again returns the first."""
    kind = MessageKind(kind)  # refuses an unknown kind (ValueError)
    session_id = session.id if session else None
    message = OutboxMessage(
        kind=kind,
        booking_id=booking.id,
        session_id=session_id,
        created_at=at,
        next_attempt_at=at,
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == kind,
                OutboxMessage.booking_id == booking.id,
                OutboxMessage.session_id == session_id,
            )
        ).one()
    return message
