"""The one place that reads the wall clock, so tests can freeze time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

_frozen: datetime | None = None


def now() -> datetime:
    """The current time, aware, in UTC (or the frozen time in tests)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Freeze ``now()`` at ``at`` (aware), or unfreeze with None. For tests and the demo."""
    global _frozen
    if at is not None and at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at


def local(moment: datetime) -> datetime:
    """``moment`` in Copenhagen time."""
    return moment.astimezone(LOCAL_TZ)
