"""What is coming up, for the residents' calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from checkin.extensions import db
from checkin.models import Activity, Session


def list_upcoming_sessions(*, at: datetime, days: int = 28, limit: int = 200) -> list[Session]:
    """Scheduled sessions of active activities that have not ended, in the next ``days``,
    soonest first."""
    stmt = (
        select(Session)
        .join(Session.activity)
        .options(joinedload(Session.activity).selectinload(Activity.translations))
        .where(
            Activity.active.is_(True),
            Session.status == "scheduled",
            Session.ends_at > at,
            Session.starts_at < at + timedelta(days=days),
        )
        .order_by(Session.starts_at, Session.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt).unique())
