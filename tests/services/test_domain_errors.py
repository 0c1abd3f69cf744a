"""Every refusal the app can give, provoked through the real service on a real database.

``CASES`` holds one row per code and function in ``checkin/`` that builds a ``DomainError``: the
code, that function (``module:function``) and a small function that provokes it. The
parametrized test checks the code, that the error was built in that function, and that its
message is a translatable text (not the code), in English and Danish.
``test_every_domain_error_in_the_source_is_in_the_table`` reads the source, so a new code, or a
new function refusing with an old one, fails the suite until it has a row here; a message not
wrapped in ``_l`` fails it too.

A rule that lives only in a blueprint would be provoked through the test client; today every
``DomainError`` is built in ``checkin/services``.
"""

from __future__ import annotations

import ast
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from checkin import ROOT, vocabulary
from checkin.extensions import db
from checkin.models import Participant
from checkin.services import clock
from checkin.services.accounts import (
    create_user,
    record_volunteer_hours,
    reset_password,
    set_user_active,
    update_user,
)
from checkin.services.booking import (
    AttendeeDetails,
    ContactDetails,
    cancel_attendee,
    cancel_booking,
    choose_sessions,
    create_booking,
    leave_waitlist,
    move_booking,
)
from checkin.services.desk import (
    SyncItem,
    check_in_attendee,
    check_in_household,
    create_desk_link,
    leave_kiosk,
    open_desk_link,
    record_desk_headcount,
    record_desk_walk_in,
    record_feedback,
    record_headcount,
    record_kiosk_feedback,
    record_paper_attendance,
    register_walk_in,
    scan_ticket,
    sync_scans,
)
from checkin.services.desk.sync import MAX_SYNC_ITEMS
from checkin.services.errors import DomainError
from checkin.services.exports import export_session_list, export_statistics
from checkin.services.notify import resend_tickets
from checkin.services.people import (
    check_contact,
    merge_participants,
    normalise_email,
    normalise_phone,
    resolve_residence,
    update_contact,
)
from checkin.services.planning import (
    MAX_CAPACITY,
    cancel_session,
    change_capacity,
    create_activity,
    create_project,
    create_session,
    create_weekly_series,
    save_target,
    update_activity,
    update_session,
)
from checkin.services.privacy import anonymise_expired, erase_booking
from checkin.services.stats import StatsFilter
from tests.factories import (
    PASSWORD,
    make_activity,
    make_project,
    make_session,
    make_user,
)

_ids = itertools.count(1)


def now():
    return clock.now()


def cid() -> str:
    return f"client-{next(_ids)}"


def household(names: list[str], **contact) -> tuple[ContactDetails, list[AttendeeDetails]]:
    contact.setdefault("name", "Fatima Ørsted")
    contact.setdefault("phone", "+4528123456")
    people = [AttendeeDetails(first_name=name, birth_year=1990) for name in names]
    return ContactDetails(**contact), people


def book(session, names=("Amina",), **contact):
    details, people = household(list(names), **contact)
    return create_booking(
        session.activity,
        sessions=[session],
        contact=details,
        attendees=people,
        at=now(),
        info_text_version="t",
    )


def sign_up(*, names=("Amina",), sessions=None, **contact):
    """A household's booking: for a new session, or for ``sessions`` of one activity."""
    sessions = [make_session()] if sessions is None else sessions
    details, people = household(list(names), **contact)
    return create_booking(
        sessions[0].activity if sessions else make_activity(),
        sessions=sessions,
        contact=details,
        attendees=people,
        at=now(),
        info_text_version="t",
    )


def without_asking_to_wait():
    """Two people for one free seat, the household not yet asked about the waiting list."""
    session = make_session(capacity=1)
    details, people = household(["Amina", "Omar"])
    create_booking(
        session.activity,
        sessions=[session],
        contact=details,
        attendees=people,
        at=now(),
        info_text_version="t",
        join_waitlist=False,
    )


def activity_fields(**changes) -> dict:
    fields = {
        "project": make_project(),
        "name": "Lektiecafé",
        "description": None,
        "target_group": "children",
        "min_age": 6,
        "max_age": 12,
        "place": None,
        "default_capacity": 20,
        "signup_required": True,
        "active": True,
        "at": now(),
        "by": None,
    }
    return fields | changes


def series(**changes) -> None:
    start = now().date() + timedelta(days=7)
    fields = {
        "weekdays": [1],
        "start_time": time(15),
        "end_time": time(17),
        "first_date": start,
        "last_date": start + timedelta(days=60),
        "at": now(),
    }
    create_weekly_series(make_activity(), **(fields | changes))


def target(**changes) -> None:
    fields = {
        "activity": make_activity(),
        "metric": "attendances",
        "value": 100,
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
    }
    save_target(**(fields | changes))


def past_session(**kwargs):
    return make_session(starts_in=timedelta(days=-1), **kwargs)


def hours(session, minutes=60):
    record_volunteer_hours(make_user("volunteer"), session, minutes, at=now(), by=None)


def walk_in(session, **changes):
    fields = {
        "first_name": "Omar",
        "age_band": "18-24",
        "area_id": None,
        "is_resident": None,
        "by": None,
        "at": now(),
        "client_id": cid(),
    }
    return register_walk_in(session, **(fields | changes))


def headcount(**changes):
    fields = {"age_band": "child", "count": 2, "by": None, "at": now(), "client_id": cid()}
    return record_headcount(make_session(), **(fields | changes))


def this_year() -> StatsFilter:
    return StatsFilter.for_year(now().year)


def statistics(kind="evaluation", fmt="csv", *, by=None, include_names=False):
    by = by or make_user("staff")
    export_statistics(
        kind, fmt=fmt, stats_filter=this_year(), by=by, at=now(), include_names=include_names
    )


def desk_link_and_token():
    link, token, _pin = create_desk_link("Tablet 1", by=None, at=now())
    db.session.commit()  # PIN tries are counted in a transaction of their own
    return link, token


def volunteer_scans(session, *, assigned_only=False):
    volunteer = make_user("volunteer")
    volunteer.desk_assigned_only = assigned_only
    scan_ticket(
        "X", session=session, by=volunteer, desk=None, at=now(), occurred_at=None, client_id=cid()
    )


def wrong_pins_until_locked():
    _link, token = desk_link_and_token()
    for _ in range(5):
        try:
            open_desk_link(token, "12345x", at=now())
        except DomainError as error:
            if error.code == "link_locked":
                raise


def sync(items):
    return sync_scans(items, session=make_session(), by=None, desk=None, at=now())


def move(kind: str):
    """A two-person booking moved between dates set up so that the move is refused as ``kind``."""
    activity = make_activity(default_capacity=5)
    first = make_session(activity)
    second = make_session(activity, starts_in=timedelta(days=9))
    booking = book(first, names=("Amina", "Omar"))
    if kind == "booking_cancelled":
        cancel_booking(booking, at=now())
    elif kind == "invalid_session":
        second = make_session()  # a date of another activity
    elif kind == "session_closed":
        second = make_session(activity, starts_in=timedelta(days=-1))
    elif kind == "not_booked":
        first, second = second, make_session(activity, starts_in=timedelta(days=16))
    elif kind == "already_booked":
        booking = sign_up(names=("Amina", "Omar"), sessions=[first, second])
    elif kind == "full":
        second = make_session(activity, starts_in=timedelta(days=9), capacity=1)
    move_booking(booking, first, second, at=now(), by=None)


def person(booking) -> Participant:
    return db.session.get(Participant, booking.attendees[0].participant_id)


def merged_pair() -> tuple[Participant, Participant]:
    session = make_session()
    a, b, c = (person(book(session, ("Sofie",), phone=f"+452800000{n}")) for n in range(3))
    merge_participants(a, b, at=now(), by=None)
    return b, c


def anonymised_person() -> Participant:
    booking = book(make_session(), ("Sofie",))
    anonymise_expired(at=now() + timedelta(days=800), months=12)
    return person(booking)


def erased_booking():
    booking = sign_up()
    erase_booking(booking, at=now())
    return booking


def cancelled_booking():
    booking = sign_up()
    cancel_booking(booking, at=now())
    return booking


def cancel_booking_twice():
    cancel_booking(cancelled_booking(), at=now())


def cancel_attendee_twice():
    booking = sign_up(names=("Amina", "Omar"))
    cancel_attendee(booking, booking.attendees[0], at=now())
    cancel_attendee(booking, booking.attendees[0], at=now())


def child_signed_up_by_a_child():
    session = make_session()
    create_booking(
        session.activity,
        sessions=[session],
        contact=ContactDetails(name="Yusuf", phone="+4528123456", is_adult=False),
        attendees=[AttendeeDetails(first_name="Leila", birth_year=now().year - 8)],
        at=now(),
        info_text_version="t",
    )


def same_project_name_twice():
    for name in ("Fritid", "FRITID"):
        create_project(name, effort_area=None, at=now(), by=None)


def series_without_a_matching_date():
    day = now().date() + timedelta(days=7)
    series(first_date=day, last_date=day, weekdays=[(day.weekday() + 1) % 7])


def capacity_below_the_seats_taken():
    booking = sign_up(names=("Amina", "Omar"))
    change_capacity(booking.seat_rows[0].session, 1, at=now(), by=None)


def session_ending_before_it_starts():
    update_session(
        make_session(),
        starts_at=now(),
        ends_at=now() - timedelta(hours=1),
        place=None,
        note=None,
        at=now(),
        by=None,
    )


def walk_in_from_an_unknown_area():
    record_desk_walk_in(
        make_session(),
        first_name="Omar",
        age_band="18-24",
        area_id=999_999,
        is_resident=None,
        by=None,
        desk=None,
        at=now(),
        occurred_at=now(),
        client_id=cid(),
    )


def paper_tick_for_someone_not_booked():
    stranger = sign_up().attendees[0]
    record_paper_attendance(
        make_session(), [stranger.id], by=make_user(), at=now(), client_id=cid()
    )


def household_with_a_stranger():
    session = make_session()
    family, stranger = book(session, ("Amina", "Omar")), book(session, ("Søren",))
    check_in_household(
        family.household_code,
        [stranger.attendees[0].id],
        session=session,
        by=None,
        desk=None,
        at=now(),
        occurred_at=now(),
        client_id=cid(),
    )


def checked_in_twice():
    session = make_session()
    amina = book(session).attendees[0]
    for _ in range(2):
        check_in_attendee(amina, session=session, by=None, at=now(), client_id=cid())


def kiosk_taps_twice():
    session, (link, _token) = make_session(starts_in=timedelta(hours=-1)), desk_link_and_token()
    for _ in range(2):
        record_kiosk_feedback(session, score=5, by=None, desk=link, at=now(), client_id=cid())


def cancelled(session):
    cancel_session(session, reason="Storm", at=now(), by=None)
    return session


def update_contact_of(booking):
    update_contact(
        booking,
        name="Fatima",
        phone="+4528123456",
        email=None,
        area_id=None,
        department_id=None,
        locale="da",
        at=now(),
    )


def new_user(email="a@example.org", password=PASSWORD, role="staff"):
    create_user(email, password, name="A", role=role, at=now())


@dataclass(frozen=True)
class Case:
    code: str
    site: str  # "module:function" that builds the error; the module relative to checkin.services
    provoke: Callable[[], object]
    # The error does not propagate: the service answers with its code (an offline sync item).
    answered: bool = False

    @property
    def where(self) -> str:
        return self.site if self.site.startswith("checkin.") else f"checkin.services.{self.site}"

    @property
    def id(self) -> str:
        return f"{self.code}@{self.site.rsplit(':', 1)[1]}"


C = Case
CASES = [
    # booking: signing up
    C("no_session", "booking.signup:create_booking", lambda: sign_up(sessions=[])),
    C("session_closed", "booking.signup:create_booking", lambda: book(past_session())),
    C("waitlist_consent_needed", "booking.signup:_ask_to_wait", without_asking_to_wait),
    C("no_attendees", "booking.signup:_check_household", lambda: sign_up(names=())),
    C(
        "too_many_attendees",
        "booking.signup:_check_household",
        lambda: sign_up(names=[f"P{n}" for n in range(9)]),
    ),
    C(
        "contact_unreachable",
        "booking.signup:_check_household",
        lambda: sign_up(phone=None, email=None),
    ),
    C("guardian_required", "booking.signup:_check_household", child_signed_up_by_a_child),
    C(
        "invalid_scope",
        "booking.offer:choose_sessions",
        lambda: choose_sessions(make_activity(), scope="year", session_id=None, at=now()),
    ),
    C(
        "no_session",
        "booking.offer:choose_sessions",
        lambda: choose_sessions(make_activity(), scope="series", session_id=None, at=now()),
    ),
    # booking: cancelling, the waiting list, moving
    C(
        "not_found",
        "booking.cancellation:cancel_attendee",
        lambda: cancel_attendee(sign_up(), sign_up().attendees[0], at=now()),
    ),
    C("already_cancelled", "booking.cancellation:cancel_attendee", cancel_attendee_twice),
    C("already_cancelled", "booking.cancellation:cancel_booking", cancel_booking_twice),
    C(
        "not_waitlisted",
        "booking.waitlist:leave_waitlist",
        lambda: leave_waitlist(b := sign_up(), b.seat_rows[0].session, at=now()),
    ),
    C("booking_cancelled", "booking.moving:move_booking", lambda: move("booking_cancelled")),
    C("invalid_session", "booking.moving:move_booking", lambda: move("invalid_session")),
    C("session_closed", "booking.moving:move_booking", lambda: move("session_closed")),
    C("not_booked", "booking.moving:move_booking", lambda: move("not_booked")),
    C("already_booked", "booking.moving:move_booking", lambda: move("already_booked")),
    C("full", "booking.moving:move_booking", lambda: move("full")),
    # planning
    C(
        "name_required",
        "planning.projects:_check_project_name",
        lambda: create_project(" ", effort_area=None, at=now(), by=None),
    ),
    C("name_taken", "planning.projects:_check_project_name", same_project_name_twice),
    C(
        "invalid_target_group",
        "planning.activities:create_activity",
        lambda: create_activity(make_project(), "Café", at=now(), target_group="cats"),
    ),
    C(
        "invalid_age_range",
        "planning.activities:create_activity",
        lambda: create_activity(make_project(), "Café", at=now(), min_age=12, max_age=6),
    ),
    C(
        "name_required",
        "planning.activities:update_activity",
        lambda: update_activity(make_activity(), **activity_fields(name="  ")),
    ),
    C(
        "invalid_target_group",
        "planning.activities:update_activity",
        lambda: update_activity(make_activity(), **activity_fields(target_group="cats")),
    ),
    C(
        "invalid_age_range",
        "planning.activities:update_activity",
        lambda: update_activity(make_activity(), **activity_fields(min_age=13)),
    ),
    C(
        "invalid_time",
        "planning.occurrences:create_session",
        lambda: create_session(make_activity(), starts_at=now(), ends_at=now()),
    ),
    C("invalid_time", "planning.occurrences:update_session", session_ending_before_it_starts),
    C(
        "invalid_capacity",
        "planning.occurrences:check_capacity",
        lambda: change_capacity(make_session(), MAX_CAPACITY + 1, at=now(), by=None),
    ),
    C(
        "session_cancelled",
        "planning.occurrences:change_capacity",
        lambda: change_capacity(cancelled(make_session()), 10, at=now(), by=None),
    ),
    C("below_taken", "planning.occurrences:change_capacity", capacity_below_the_seats_taken),
    C(
        "reason_required",
        "planning.occurrences:cancel_session",
        lambda: cancel_session(make_session(), reason=" ", at=now(), by=None),
    ),
    C(
        "already_cancelled",
        "planning.occurrences:cancel_session",
        lambda: cancelled(cancelled(make_session())),
    ),
    C("session_over", "planning.occurrences:cancel_session", lambda: cancelled(past_session())),
    C("invalid_metric", "planning.targets:save_target", lambda: target(metric="smiles")),
    C("invalid_value", "planning.targets:save_target", lambda: target(value=0)),
    C(
        "invalid_period",
        "planning.targets:save_target",
        lambda: target(period_end=date(2025, 12, 31)),
    ),
    C(
        "period_too_long",
        "planning.targets:save_target",
        lambda: target(period_start=date(2000, 1, 1), period_end=date(2100, 12, 31)),
    ),
    C("no_weekday", "planning.series:create_weekly_series", lambda: series(weekdays=[])),
    C("invalid_time", "planning.series:create_weekly_series", lambda: series(end_time=time(15))),
    C(
        "invalid_period",
        "planning.series:create_weekly_series",
        lambda: series(last_date=now().date()),
    ),
    C("empty_series", "planning.series:create_weekly_series", series_without_a_matching_date),
    C(
        "series_too_long",
        "planning.series:create_weekly_series",
        lambda: series(weekdays=range(7), last_date=now().date() + timedelta(days=365)),
    ),
    # the desk
    C("already_checked_in", "desk.presence:_insert", checked_in_twice),
    C("invalid_age_band", "desk.presence:record_headcount", lambda: headcount(age_band="baby")),
    C("invalid_count", "desk.presence:record_headcount", lambda: headcount(count=0)),
    C(
        "session_cancelled",
        "desk.walkins:register_walk_in",
        lambda: walk_in(cancelled(make_session())),
    ),
    C(
        "age_required",
        "desk.walkins:_walk_in_band",
        lambda: walk_in(make_session(), age_band=None),
    ),
    C(
        "invalid_age_band",
        "desk.walkins:_walk_in_band",
        lambda: walk_in(make_session(), age_band="baby"),
    ),
    C(
        "invalid_gender",
        "desk.walkins:register_walk_in",
        lambda: walk_in(make_session(), gender="x"),
    ),
    C("unknown_area", "desk.actions:record_desk_walk_in", walk_in_from_an_unknown_area),
    C("unknown_attendee", "desk.actions:check_in_household", household_with_a_stranger),
    C(
        "unknown_attendee",
        "desk.actions:record_paper_attendance",
        paper_tick_for_someone_not_booked,
    ),
    C(
        "too_many_items",
        "desk.sync:sync_scans",
        lambda: sync(
            [SyncItem(type="scan", client_id=cid(), occurred_at=now())] * (MAX_SYNC_ITEMS + 1)
        ),
    ),
    C(
        "invalid_type",
        "desk.sync:_apply",
        lambda: sync([SyncItem(type="teleport", client_id=cid(), occurred_at=now())]),
        answered=True,
    ),
    C(
        "invalid_score",
        "desk.feedback:record_feedback",
        lambda: record_feedback(make_session(), score=6, at=now()),
    ),
    C(
        "invalid_source",
        "desk.feedback:record_feedback",
        lambda: record_feedback(make_session(), score=5, at=now(), source="poll"),
    ),
    C("too_fast", "desk.kiosk:record_kiosk_feedback", kiosk_taps_twice),
    C(
        "not_assigned",
        "desk.scope:desk_refusal",
        lambda: volunteer_scans(make_session(starts_in=timedelta(0)), assigned_only=True),
    ),
    C(
        "outside_desk_window",
        "desk.scope:desk_refusal",
        lambda: volunteer_scans(make_session(starts_in=timedelta(days=1))),
    ),
    C(
        "too_many_at_once",
        "desk.actions:_one_tap",
        lambda: record_desk_headcount(
            make_session(starts_in=timedelta(0)),
            age_band="adult",
            count=21,
            by=None,
            desk=None,
            at=now(),
            occurred_at=None,
            client_id=cid(),
        ),
    ),
    C("link_locked", "desk.links:_locked", wrong_pins_until_locked),
    C(
        "name_required",
        "desk.links:create_desk_link",
        lambda: create_desk_link("  ", by=None, at=now()),
    ),
    C(
        "invalid_link",
        "desk.links:open_desk_link",
        lambda: open_desk_link("no-such-token", "123456", at=now()),
    ),
    C(
        "wrong_pin",
        "desk.links:verify_desk_link_pin",
        lambda: open_desk_link(desk_link_and_token()[1], "12345x", at=now()),
    ),
    C(
        "wrong_pin",
        "desk.links:verify_desk_link_pin",
        lambda: leave_kiosk("12345x", by=None, desk=desk_link_and_token()[0], at=now()),
    ),
    C(
        "wrong_password",
        "desk.kiosk:leave_kiosk",
        lambda: leave_kiosk("guess", by=make_user("volunteer"), desk=None, at=now()),
    ),
    # people
    C("invalid_phone", "people.contact:_invalid_phone", lambda: normalise_phone("12")),
    C("invalid_email", "people.contact:normalise_email", lambda: normalise_email("amina@")),
    C("unknown_area", "people.contact:_unknown_area", lambda: resolve_residence(999_999, None)),
    C(
        "name_required",
        "people.contact:contact_errors",
        lambda: check_contact(" ", "+4528123456", None),
    ),
    C(
        "name_too_long",
        "people.contact:contact_errors",
        lambda: check_contact("A" * 161, "+4528123456", None),
    ),
    C(
        "contact_unreachable",
        "people.contact:contact_errors",
        lambda: check_contact("Fatima", " ", ""),
    ),
    C(
        "anonymised",
        "people.contact:update_contact",
        lambda: update_contact_of(erased_booking()),
    ),
    C(
        "same_person",
        "people.directory:merge_participants",
        lambda: merge_participants(p := person(sign_up()), p, at=now(), by=None),
    ),
    C(
        "already_merged",
        "people.directory:merge_participants",
        lambda: merge_participants(*merged_pair(), at=now(), by=None),
    ),
    C(
        "anonymised",
        "people.directory:merge_participants",
        lambda: merge_participants(person(sign_up()), anonymised_person(), at=now(), by=None),
    ),
    # accounts
    C("invalid_role", "accounts.logins:create_user", lambda: new_user(role="owner")),
    C("weak_password", "accounts.logins:create_user", lambda: new_user(password="too short")),
    C(
        "email_taken",
        "accounts.logins:create_user",
        lambda: new_user(email=make_user().email.upper()),
    ),
    C(
        "weak_password",
        "accounts.logins:set_password",
        lambda: reset_password(make_user(), "too short", at=now(), by=None),
    ),
    C(
        "invalid_role",
        "accounts.admin:update_user",
        lambda: update_user(make_user(), name="A", role="owner", at=now(), by=None),
    ),
    C(
        "last_admin",
        "accounts.admin:update_user",
        lambda: update_user(make_user("admin"), name="A", role="staff", at=now(), by=None),
    ),
    C(
        "self",
        "accounts.admin:set_user_active",
        lambda: set_user_active(u := make_user("admin"), False, at=now(), by=u),
    ),
    C(
        "last_admin",
        "accounts.admin:set_user_active",
        lambda: set_user_active(make_user("admin"), False, at=now(), by=make_user()),
    ),
    C(
        "invalid_minutes",
        "accounts.admin:record_volunteer_hours",
        lambda: hours(past_session(), minutes=25 * 60),
    ),
    C(
        "session_cancelled",
        "accounts.admin:record_volunteer_hours",
        lambda: hours(cancelled(make_session(starts_in=timedelta(hours=-1), hours=3))),
    ),
    C("not_started", "accounts.admin:record_volunteer_hours", lambda: hours(make_session())),
    # exports
    C("unknown_export", "exports.files:export_statistics", lambda: statistics("gossip")),
    C("unknown_format", "exports.files:export_statistics", lambda: statistics(fmt="pdf")),
    C(
        "names_forbidden",
        "exports.files:_check_names",
        lambda: statistics(by=make_user("staff"), include_names=True),
    ),
    C(
        "unknown_format",
        "exports.files:export_session_list",
        lambda: export_session_list(make_session(), fmt="ods", by=make_user(), at=now()),
    ),
    # telling residents
    C(
        "booking_inactive",
        "notify.delivery:resend_tickets",
        lambda: resend_tickets(cancelled_booking(), channel="sms", by=None, at=now()),
    ),
    C(
        "no_email",
        "notify.delivery:resend_tickets",
        lambda: resend_tickets(sign_up(email=None), channel="email", by=None, at=now()),
    ),
    C(
        "no_phone",
        "notify.delivery:resend_tickets",
        lambda: resend_tickets(
            sign_up(phone=None, email="a@example.org"), channel="sms", by=None, at=now()
        ),
    ),
]


@pytest.fixture
def built(monkeypatch) -> list[DomainError]:
    """Every DomainError built while the test runs, each marked with where it was built."""
    errors: list[DomainError] = []
    original = DomainError.__init__

    def spy(self, *args, **kwargs):
        caller = sys._getframe(1)
        self.built_at = f"{caller.f_globals['__name__']}:{caller.f_code.co_name}"
        original(self, *args, **kwargs)
        errors.append(self)

    monkeypatch.setattr(DomainError, "__init__", spy)
    return errors


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_domain_error_is_provoked_through_its_service(app, frozen_clock, built, case):
    if case.answered:
        answers = case.provoke()
        (error,) = [e for e in built if e.code == case.code]
        assert [a.result for a in answers] == [case.code]
        assert answers[0].note == str(error.message)
    else:
        with pytest.raises(DomainError) as excinfo:
            case.provoke()
        error = excinfo.value
    assert error.code == case.code
    assert error.built_at == case.where
    assert isinstance(error.message, LazyString), "wrap the message in lazy_gettext (_l)"
    for locale in ("en", "da"):
        with force_locale(locale):
            text = str(error.message)
        assert text.strip(), locale
        assert text != case.code, locale


def _source_sites() -> dict[tuple[str, str], list[str]]:
    """(code, "module:function") of every ``DomainError(...)`` in checkin/, with the lines."""
    sites: dict[tuple[str, str], list[str]] = {}
    package = ROOT / "checkin"
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _collect(tree, module, None, path, sites)
    return sites


def _literal_code(node: ast.expr) -> ast.expr:
    """``ScanResultCode.ALREADY_CHECKED_IN`` (a StrEnum of checkin.vocabulary) as its string."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        enum = getattr(vocabulary, node.value.id, None)
        member = getattr(enum, node.attr, None) if enum is not None else None
        if isinstance(member, str):
            return ast.Constant(str(member))
    return node


def _collect(node, module: str, function: str | None, path: Path, sites: dict) -> None:
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else None
        if isinstance(child, ast.Call) and _name(child.func) == "DomainError":
            where = f"{path.relative_to(ROOT)}:{child.lineno}"
            code = _literal_code(child.args[0]) if child.args else None
            assert isinstance(code, ast.Constant) and isinstance(code.value, str), (
                f"{where}: give DomainError its code as a literal string or a vocabulary member"
            )
            message = child.args[1] if len(child.args) > 1 else None
            message = message or next((k.value for k in child.keywords if k.arg == "message"), None)
            assert isinstance(message, ast.Call) and _name(message.func) in (
                "_l",
                "lazy_gettext",
            ), f"{where}: give DomainError({code.value!r}) a message wrapped in _l(...)"
            sites.setdefault((code.value, f"{module}:{function}"), []).append(where)
        _collect(child, module, inner or function, path, sites)


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def test_every_domain_error_in_the_source_is_in_the_table():
    sites = _source_sites()
    in_source = {code for code, _ in sites}
    in_table = {case.code for case in CASES}
    assert sorted(in_source - in_table) == [], "codes without a row in CASES"
    missing = {site: lines for site, lines in sites.items() if site not in _table_sites()}
    assert missing == {}, "places that build a DomainError without a row in CASES"
    assert sorted(_table_sites() - set(sites)) == [], "rows for places that no longer exist"


def _table_sites() -> set[tuple[str, str]]:
    return {(case.code, case.where) for case in CASES}
