"""Offline sync: a desk's queue of actions recorded while the network was away.

Items are applied in the order they happened. Every item leaves a scan-log row, refused ones
too, and an item already synced answers its original result, so a queue synced twice records
nothing twice. When two desks admitted the same person offline, the earliest admission stays the
check-in and the later one gets a note (see ``scanning.admit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from flask_babel import lazy_gettext as _l

from checkin.extensions import db
from checkin.models import DeskLink, Occurrence, User
from checkin.services.desk.actions import (
    check_in_household,
    record_desk_headcount,
    record_desk_walk_in,
    undo_check_in,
)
from checkin.services.desk.results import ScanResult, find_log, log_scan
from checkin.services.desk.scan import replay
from checkin.services.desk.scan import scan_ticket as scan
from checkin.services.desk.scope import require_writable
from checkin.services.errors import DomainError
from checkin.services.tickets.qr import parse_scanned
from checkin.vocabulary import CheckInMethod, ScanResultCode, SyncItemType

# The item types in order, for the desk API schema that imports them from here.
SYNC_TYPES: tuple[SyncItemType, ...] = tuple(SyncItemType)
MAX_SYNC_ITEMS = 500
# What an offline desk may have answered without admitting anyone.
OFFLINE_REFUSALS = tuple(
    code for code in ScanResultCode if code not in (ScanResultCode.OK, ScanResultCode.HOUSEHOLD)
)


@dataclass
class SyncItem:
    """One queued desk action; which fields matter depends on ``type``."""

    type: str
    client_id: str
    occurred_at: datetime
    code: str | None = None
    attendee_id: int | None = None
    attendee_ids: list[int] = field(default_factory=list)
    override_reason: str | None = None
    offline_result: str | None = None
    first_name: str | None = None
    age_band: str | None = None
    area_id: int | None = None
    is_resident: bool | None = None
    count: int = 1
    check_in_id: int | None = None
    target_client_id: str | None = None
    target_attendee_id: int | None = None


class _Context(TypedDict):
    """What every queued action passes on to its desk service."""

    session: Occurrence
    by: User | None
    desk: DeskLink | None
    at: datetime
    occurred_at: datetime
    client_id: str
    offline: bool


def _refused_offline(
    item: SyncItem,
    *,
    session: Occurrence,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
) -> ScanResult:
    result = ScanResult(item.offline_result or ScanResultCode.INVALID, item.client_id, session.id)
    result.note = "refused offline"
    code = parse_scanned(item.code) if item.code else None
    log_scan(result, code=code, by=by, desk=desk, at=at, occurred_at=item.occurred_at, offline=True)
    return result


def _apply(
    item: SyncItem,
    *,
    session: Occurrence,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
) -> ScanResult:
    # Judged by when the tablet recorded it: a scan made during the session counts even when the
    # network came back hours later.
    require_writable(session, by=by, desk=desk, at=at, occurred_at=item.occurred_at, offline=True)
    common: _Context = {
        "session": session,
        "by": by,
        "desk": desk,
        "at": at,
        "occurred_at": item.occurred_at,
        "client_id": item.client_id,
        "offline": True,
    }
    if item.type == SyncItemType.SCAN:
        if item.offline_result in OFFLINE_REFUSALS and not item.override_reason:
            return _refused_offline(item, session=session, by=by, desk=desk, at=at)
        return scan(
            item.code,
            attendee_id=item.attendee_id,
            override_reason=item.override_reason,
            method=(
                CheckInMethod.SEARCH
                if item.attendee_id is not None and not item.code
                else CheckInMethod.SCAN
            ),
            **common,
        )
    if item.type == SyncItemType.HOUSEHOLD:
        return check_in_household(
            item.code or "", item.attendee_ids, override_reason=item.override_reason, **common
        )
    if item.type == SyncItemType.WALK_IN:
        return record_desk_walk_in(
            first_name=item.first_name or "",
            age_band=item.age_band,
            area_id=item.area_id,
            is_resident=item.is_resident,
            **common,
        )
    if item.type == SyncItemType.HEADCOUNT:
        return record_desk_headcount(age_band=item.age_band or "", count=item.count, **common)
    if item.type == SyncItemType.UNDO:
        return undo_check_in(
            target_client_id=item.target_client_id,
            target_attendee_id=item.target_attendee_id,
            check_in_id=item.check_in_id,
            **common,
        )
    raise DomainError("invalid_type", _l("Unknown desk action."), field="type")


def sync_scans(
    items: Sequence[SyncItem],
    *,
    session: Occurrence,
    by: User | None,
    desk: DeskLink | None,
    at: datetime,
) -> list[ScanResult]:
    """Apply a desk's offline queue in ``occurred_at`` order; answers in the items' order.

    An item a rule refuses (say, an unknown age band, or a time outside the session's desk
    window) is logged with the refusal's code and does not stop the others. A desk that may
    not write at this activity at all is refused as a whole (``not_assigned``)."""
    if len(items) > MAX_SYNC_ITEMS:
        raise DomainError(
            "too_many_items",
            _l("At most %(n)d actions can be synced at once.", n=MAX_SYNC_ITEMS),
            field="items",
        )
    require_writable(session, by=by, desk=desk, at=None)
    answers: dict[int, ScanResult] = {}
    order = sorted(range(len(items)), key=lambda i: (items[i].occurred_at, i))
    for index in order:
        item = items[index]
        item.occurred_at = min(item.occurred_at, at)
        logged = find_log(item.client_id)
        if logged is not None:
            answers[index] = replay(logged, session)
            continue
        try:
            with db.session.begin_nested():
                answers[index] = _apply(item, session=session, by=by, desk=desk, at=at)
        except DomainError as error:
            refused = ScanResult(error.code, item.client_id, session.id, note=str(error.message))
            log_scan(
                refused,
                code=None,
                by=by,
                desk=desk,
                at=at,
                occurred_at=item.occurred_at,
                offline=True,
            )
            answers[index] = refused
    return [answers[i] for i in range(len(items))]
