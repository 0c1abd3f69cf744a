"""Writing the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checkin.extensions import db
from checkin.models import AuditLog, User


def record_audit(
    action: str,
    *,
    by: User | None,
    at: datetime,
    object_type: str | None = None,
    object_id: int | None = None,
    **details: Any,
) -> AuditLog:
    """Every access to personal data beyond the desk, and every export, leaves a row here."""
    entry = AuditLog(
        action=action,
        actor_id=by.id if by else None,
        at=at,
        object_type=object_type,
        object_id=object_id,
        details=details or None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
