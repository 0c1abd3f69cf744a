"""The check-in desk's services: every scan result, replays, races, households, undo, search,
offline sync and the counters, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import CheckIn, Occurrence, ScanLog
from checkin.services import clock
from checkin.services.booking import cancel_attendee
from checkin.services.desk import (
    SyncItem,
    check_in_household,
    code_hash,
    create_desk_link,
    list_desk_sessions,
    not_arrived,
    offline_ticket_list,
    record_desk_headcount,
    record_desk_walk_in,
    record_kiosk_feedback,
    record_paper_attendance,
    scan_ticket,
    search_attendees,
    session_counters,
    sync_scans,
    undo_check_in,
)
from checkin.services.errors import DomainError
from tests.factories import make_activity, make_booking, make_session, make_user


def cid() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def door(app, frozen_clock):
    """A session starting in an hour with three households; a volunteer and a desk link."""
    activity = make_activity(name="Lektiecafé", default_capacity=30)
    session = make_session(activity, starts_in=timedelta(hours=1))
    other = make_session(activity, starts_in=timedelta(days=7))
    family = make_booking(
        session,
        people=["Amina", "Omar", "Leila", "Yusuf"],
        name="Fatima Ørsted",
        phone="+4520111234",
    )
    single = make_booking(session, people=["Søren"], name="Søren Dahl", phone="+4520222222")
    later = make_booking(other, people=["Mette"], name="Mette Berg", phone="+4520333333")
    volunteer = make_user("volunteer")
    link, _token, _pin = create_desk_link("Tablet 1", by=None, at=clock.now())
    db.session.commit()
    frozen_clock.advance(hours=1)
    return {
        "session": session,
        "other": other,
        "family": family,
        "single": single,
        "later": later,
        "volunteer": volunteer,
        "link": link,
        "clock": frozen_clock,
    }


def scan(door, text, *, desk=None, by=None, client_id=None, **kwargs):
    at = clock.now()
    return scan_ticket(
        text,
        session=kwargs.pop("session", door["session"]),
        by=by if by is not None else door["volunteer"],
        desk=desk,
        at=at,
        occurred_at=kwargs.pop("occurred_at", at),
        client_id=client_id or cid(),
        **kwargs,
    )


def active_rows(session_id: int, attendee_id: int | None = None) -> int:
    query = select(func.count(CheckIn.id)).where(
        CheckIn.session_id == session_id, CheckIn.undone_at.is_(None)
    )
    if attendee_id is not None:
        query = query.where(CheckIn.attendee_id == attendee_id)
    return db.session.scalar(query)


def test_ok_then_already_checked_in_names_when_and_which_desk(door):
    amina = door["family"].attendees[0]
    first = scan(door, amina.ticket_code, desk=door["link"])
    assert first.result == "ok"
    assert first.first_names == ["Amina"]
    assert first.check_in_id is not None
    again = scan(door, "https://other.host/t/" + amina.ticket_code.lower())
    assert again.result == "already_checked_in"
    assert again.checked_in_by == "Tablet 1"
    assert again.checked_in_at == clock.now()
    assert active_rows(door["session"].id, amina.id) == 1


def test_replayed_client_id_answers_the_original_result(door):
    amina = door["family"].attendees[0]
    client_id = cid()
    first = scan(door, amina.ticket_code, client_id=client_id)
    replayed = scan(door, amina.ticket_code, client_id=client_id)
    assert (first.result, replayed.result) == ("ok", "ok")
    assert replayed.replayed
    assert replayed.check_in_id == first.check_in_id
    assert db.session.scalar(select(func.count(ScanLog.id))) == 1


def test_wrong_session_names_the_right_one_and_can_be_overridden(door):
    mette = door["later"].attendees[0]
    result = scan(door, mette.ticket_code)
    assert result.result == "wrong_session"
    assert result.overridable
    assert [s["id"] for s in result.sessions] == [door["other"].id]
    anyway = scan(door, mette.ticket_code, override_reason="Came with her sister")
    assert anyway.result == "ok"
    row = db.session.get(CheckIn, anyway.check_in_id)
    assert row.method == "staff"
    assert "Came with her sister" in row.note


def test_cancelled_waitlisted_and_invalid(door, frozen_clock):
    single = door["single"]
    full = make_session(make_activity(default_capacity=1), starts_in=timedelta(hours=1))
    before = clock.now() - timedelta(minutes=30)
    make_booking(full, people=["First"], at=before)
    waiting = make_booking(full, people=["Second"], at=before)
    family = door["family"]
    cancel_attendee(family, family.attendees[3], at=clock.now())
    db.session.commit()
    assert scan(door, family.attendees[3].ticket_code).result == "cancelled"
    assert scan(door, waiting.attendees[0].ticket_code, session=full).result == "waitlisted"
    assert scan(door, "not a code").result == "invalid"
    code = single.attendees[0].ticket_code
    changed = code[:-1] + ("3" if code.endswith("2") else "2")  # one symbol off: never the same
    assert scan(door, changed).result == "invalid"
    guessed = "2" * 27
    assert scan(door, guessed).result == "invalid"
    assert db.session.scalar(select(func.count(ScanLog.id))) == 5  # refusals are logged too


def test_household_code_lists_everyone_and_checks_in_those_present(door):
    family = door["family"]
    listed = scan(door, family.household_code)
    assert listed.result == "household"
    assert [m["first_name"] for m in listed.attendees] == ["Amina", "Omar", "Leila", "Yusuf"]
    assert all(m["selected"] for m in listed.attendees)
    present = [a.id for a in family.attendees[:3]]
    at = clock.now()
    came = check_in_household(
        family.household_code,
        present,
        session=door["session"],
        by=door["volunteer"],
        desk=None,
        at=at,
        occurred_at=at,
        client_id=(client_id := cid()),
    )
    assert came.result == "ok"
    assert came.first_names == ["Amina", "Omar", "Leila"]
    assert sum(m["checked_in"] for m in came.attendees) == 3
    assert active_rows(door["session"].id) == 3
    again = check_in_household(
        family.household_code,
        present,
        session=door["session"],
        by=door["volunteer"],
        desk=None,
        at=at,
        occurred_at=at,
        client_id=client_id,
    )
    assert again.replayed and again.first_names == ["Amina", "Omar", "Leila"]
    with pytest.raises(DomainError) as excinfo:
        check_in_household(
            family.household_code,
            [door["single"].attendees[0].id],
            session=door["session"],
            by=door["volunteer"],
            desk=None,
            at=at,
            occurred_at=at,
            client_id=cid(),
        )
    assert excinfo.value.code == "unknown_attendee"


def test_concurrent_scans_of_one_ticket_make_one_check_in(app, door):
    """Six desks scan one ticket at once: one ``ok``, five ``already_checked_in``. An online scan
    does not look before it inserts, so the unique index alone decides, and this fails on SQLite
    and PostgreSQL alike without it; on PostgreSQL the inserts also really overlap."""
    amina_id = door["family"].attendees[0].id
    code = door["family"].attendees[0].ticket_code
    session_id = door["session"].id
    at = clock.now()
    barrier = Barrier(6)

    def job(_n):
        with app.app_context():
            clock.freeze(at)
            barrier.wait(timeout=30)
            try:
                result = scan_ticket(
                    code,
                    session=db.session.get(Occurrence, session_id),
                    by=None,
                    desk=None,
                    at=at,
                    occurred_at=at,
                    client_id=cid(),
                )
                db.session.commit()
                return result.result
            except Exception:
                db.session.rollback()
                raise

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(job, range(6)))
    assert sorted(results) == ["already_checked_in"] * 5 + ["ok"]
    db.session.expire_all()
    assert active_rows(session_id, amina_id) == 1


def test_undo_within_fifteen_minutes_by_the_same_desk_only(door):
    amina, omar = door["family"].attendees[:2]
    first = scan(door, amina.ticket_code, desk=door["link"])
    second = scan(door, omar.ticket_code, desk=door["link"])

    def undo(desk, **target):
        return undo_check_in(
            session=door["session"],
            client_id=cid(),
            by=door["volunteer"],
            desk=desk,
            at=clock.now(),
            **target,
        )

    assert undo(None, check_in_id=first.check_in_id).result == "other_desk"
    assert undo(door["link"], target_client_id=first.client_id).result == "undone"
    assert undo(door["link"], check_in_id=first.check_in_id).result == "already_undone"
    row = db.session.get(CheckIn, first.check_in_id)
    assert row.undone_at is not None  # kept, never deleted
    door["clock"].advance(minutes=16)
    assert undo(door["link"], check_in_id=second.check_in_id).result == "undo_expired"
    assert undo(door["link"], check_in_id=999999).result == "not_found"
    assert scan(door, amina.ticket_code).result == "ok"  # after an undo, check in again


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("orsted", ["Amina", "Leila", "Omar", "Yusuf"]),
        ("LEILA", ["Leila"]),
        ("søren", ["Søren"]),
        ("soren dahl", ["Søren"]),
        ("1234", ["Amina", "Leila", "Omar", "Yusuf"]),
        ("222", ["Søren"]),
        ("mette", []),  # booked for another session
        ("%", []),
    ],
)
def test_search_by_name_accents_case_and_phone_digits(door, query, expected):
    found = search_attendees(query, session=door["session"])
    assert [row["first_name"] for row in found] == expected
    for row in found:
        assert set(row) == {
            "id",
            "first_name",
            "birth_year",
            "status",
            "checked_in",
            "checked_in_at",
        }
        assert "+45" not in str(row)


def test_search_result_can_be_checked_in(door):
    soren = search_attendees("soren", session=door["session"])[0]
    result = scan(door, None, attendee_id=soren["id"], method="search")
    assert result.result == "ok"
    assert db.session.get(CheckIn, result.check_in_id).method == "search"
    assert search_attendees("soren", session=door["session"])[0]["checked_in"]


def _sync(door, items, *, desk=None):
    return sync_scans(items, session=door["session"], by=None, desk=desk, at=clock.now())


def test_offline_sync_twice_records_each_once(door, frozen_clock):
    session = door["session"]
    codes = [a.ticket_code for a in door["family"].attendees + door["single"].attendees]
    for n in range(15):
        booking = make_booking(session, people=[f"Kid{n}"], at=clock.now() - timedelta(hours=2))
        codes.append(booking.attendees[0].ticket_code)
    db.session.commit()
    assert len(codes) == 20
    start = clock.now() - timedelta(minutes=30)
    items = [
        SyncItem("scan", cid(), start + timedelta(seconds=n), code=code)
        for n, code in enumerate(codes + codes[:5])  # five scanned twice
    ]
    first = _sync(door, items)
    assert [r.result for r in first].count("ok") == 20
    assert [r.result for r in first].count("already_checked_in") == 5
    again = _sync(door, items)
    assert [r.result for r in again] == [r.result for r in first]
    assert all(r.replayed for r in again)
    db.session.commit()
    assert active_rows(session.id) == 20
    assert db.session.scalar(select(func.count(ScanLog.id))) == 25


def test_two_desks_offline_the_earliest_admission_wins(door):
    other_desk, _t, _p = create_desk_link("Tablet 2", by=None, at=clock.now())
    amina = door["family"].attendees[0]
    early = clock.now() - timedelta(minutes=20)
    late = clock.now() - timedelta(minutes=10)
    # The later admission reaches the server first.
    later = _sync(door, [SyncItem("scan", cid(), late, code=amina.ticket_code)], desk=other_desk)
    assert later[0].result == "ok"
    earlier = _sync(
        door, [SyncItem("scan", cid(), early, code=amina.ticket_code)], desk=door["link"]
    )
    assert earlier[0].result == "ok"
    rows = db.session.scalars(select(CheckIn).where(CheckIn.attendee_id == amina.id)).all()
    active = [r for r in rows if r.undone_at is None]
    assert len(rows) == 2 and len(active) == 1
    assert active[0].occurred_at == early
    later_log = db.session.scalar(select(ScanLog).where(ScanLog.client_id == later[0].client_id))
    assert later_log.note.startswith("also admitted offline by Tablet 1 at ")
    # The other way round: the earlier one is already there, the later one gets the note.
    omar = door["family"].attendees[1]
    _sync(door, [SyncItem("scan", cid(), early, code=omar.ticket_code)], desk=door["link"])
    second = _sync(door, [SyncItem("scan", cid(), late, code=omar.ticket_code)], desk=other_desk)
    assert second[0].result == "already_checked_in"
    assert second[0].note.startswith("also admitted offline by Tablet 1 at ")
    assert active_rows(door["session"].id, omar.id) == 1


def test_refused_offline_scans_are_logged_without_check_in(door):
    amina = door["family"].attendees[0]
    at = clock.now() - timedelta(minutes=5)
    results = _sync(
        door,
        [
            SyncItem("scan", cid(), at, code="GARBAGE", offline_result="invalid"),
            SyncItem("scan", cid(), at, code=amina.ticket_code, offline_result="wrong_session"),
            SyncItem("headcount", cid(), at, age_band="no-such-band"),
        ],
    )
    assert [r.result for r in results] == ["invalid", "wrong_session", "invalid_age_band"]
    logs = db.session.scalars(select(ScanLog).order_by(ScanLog.id)).all()
    assert len(logs) == 3 and all(log.offline for log in logs)
    assert active_rows(door["session"].id) == 0


def test_walk_ins_and_headcounts_count_and_keep_offline_time(door):
    at = clock.now()
    earlier = at - timedelta(minutes=7)
    walk_in = record_desk_walk_in(
        door["session"],
        first_name="Ali",
        age_band="10-12",
        area_id=None,
        is_resident=True,
        by=door["volunteer"],
        desk=None,
        at=at,
        occurred_at=earlier,
        client_id=cid(),
    )
    assert walk_in.result == "ok"
    assert db.session.get(CheckIn, walk_in.check_in_id).occurred_at == earlier
    for group in ("child", "adult", "adult"):
        record_desk_headcount(
            door["session"],
            age_band=group,
            count=1,
            by=door["volunteer"],
            desk=None,
            at=at,
            occurred_at=at,
            client_id=cid(),
        )
    scan(door, door["single"].attendees[0].ticket_code)
    counters = session_counters(door["session"])
    assert counters == {
        "session_id": door["session"].id,
        "checked_in": 1,
        "booked": 5,
        "capacity": 30,
        "walk_ins": 1,
        "headcount": 3,
        "present": 5,
    }
    assert [p["first_name"] for p in not_arrived(door["session"])] == [
        "Amina",
        "Leila",
        "Omar",
        "Yusuf",
    ]


def test_desk_sessions_today_assigned_first(door, frozen_clock):
    from checkin.models import VolunteerAssignment

    session = door["session"]
    second = make_session(starts_in=timedelta(hours=2))
    db.session.add(
        VolunteerAssignment(user_id=door["volunteer"].id, activity_id=second.activity_id)
    )
    db.session.flush()
    rows = list_desk_sessions(user=door["volunteer"], at=clock.now())
    assert [(r.session.id, r.assigned) for r in rows] == [(second.id, True), (session.id, False)]


def test_offline_ticket_list_hashes_codes_and_shows_first_names_only(door):
    data = offline_ticket_list(door["session"], at=clock.now())
    codes = {t["code_hash"] for t in data["tickets"]}
    amina = door["family"].attendees[0]
    assert code_hash(amina.ticket_code) in codes
    assert amina.ticket_code not in str(data)
    assert "Ørsted" not in str(data) and "+45" not in str(data)
    household = next(
        h for h in data["households"] if h["code_hash"] == code_hash(door["family"].household_code)
    )
    assert household["attendee_ids"] == [a.id for a in door["family"].attendees]


def test_paper_ticks_count_once(door):
    staff = make_user("staff")
    ids = [a.id for a in door["family"].attendees[:2]]
    client_id = cid()
    at = clock.now()
    assert record_paper_attendance(door["session"], ids, by=staff, at=at, client_id=client_id) == (
        2,
        0,
    )
    assert record_paper_attendance(door["session"], ids, by=staff, at=at, client_id=cid()) == (0, 2)
    rows = db.session.scalars(select(CheckIn).where(CheckIn.method == "paper")).all()
    assert len(rows) == 2 and rows[0].occurred_at == door["session"].starts_at
    with pytest.raises(DomainError) as excinfo:
        record_paper_attendance(
            door["session"], [door["later"].attendees[0].id], by=staff, at=at, client_id=cid()
        )
    assert excinfo.value.code == "unknown_attendee"


def test_kiosk_throttles_taps_per_device(door):
    def tap(score=5):
        return record_kiosk_feedback(
            door["session"],
            score=score,
            by=None,
            desk=door["link"],
            at=clock.now(),
            client_id=cid(),
        )

    assert tap() is not None
    with pytest.raises(DomainError) as excinfo:
        tap(1)
    assert excinfo.value.code == "too_fast"
    door["clock"].advance(seconds=3)
    assert tap(4) is not None


def test_an_ok_scan_costs_two_lookups_and_two_inserts(door):
    """The door's hot path: the replay check on the scan log, one joined ticket lookup, the
    check-in insert and its scan-log row. Nothing else touches the database."""
    code = door["family"].attendees[0].ticket_code
    db.session.expire_all()
    session = db.session.get(Occurrence, door["session"].id)
    assert door["volunteer"].name  # the desk's own user is loaded before counting
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            statements.append(verb)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        result = scan(door, code, session=session)
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    assert result.result == "ok"
    assert sorted(statements) == ["INSERT", "INSERT", "SELECT", "SELECT"]
