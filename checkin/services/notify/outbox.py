"""Recording a message owed to a resident, in the transaction that causes it.

Every message queued here is also noted as *owed* on the database session. Whoever commits that
transaction (the request boundary, ``checkin.boundary``) takes the owed ids after the commit and
hands them to delivery; on a rollback it forgets them. Nothing is sent from here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

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
    except IntegrityError:  # already queued: the first one is the one owed
        return db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == kind,
                OutboxMessage.booking_id == booking.id,
                OutboxMessage.session_id == session_id,
            )
        ).one()
    db.session.info.setdefault(_OWED, []).append(message.id)
    return message


_OWED = "checkin.owed_message_ids"


def take_owed_messages(session: OrmSession) -> list[int]:
    """The ids of messages queued since the last call, for delivery after a commit."""
    return sorted(set(session.info.pop(_OWED, [])))


def forget_owed_messages(session: OrmSession) -> None:
    """After a rollback: the owed messages were never stored."""
    session.info.pop(_OWED, None)
