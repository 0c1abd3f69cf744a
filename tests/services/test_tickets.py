"""Ticket codes, the QR payload and its parser, and what a ticket is valid for."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from checkin.extensions import db
from checkin.services.booking import cancel_attendee, cancel_booking
from checkin.services.codes import ALPHABET, TICKET_CODE_LENGTH, new_ticket_code
from checkin.services.tickets import (
    QR_PAYLOAD_VERSION,
    describe_ticket,
    find_ticket,
    list_printable_tickets,
    list_valid_sessions,
    parse_scanned,
    ticket_url,
)
from checkin.vocabulary import TicketState
from tests.factories import make_activity, make_booking, make_session

LOOK_ALIKES = set("01OILU")


# --- codes -------------------------------------------------------------------------------------


def test_ticket_codes_carry_at_least_128_random_bits():
    assert TICKET_CODE_LENGTH * math.log2(len(set(ALPHABET))) >= 128
    assert len(new_ticket_code()) == TICKET_CODE_LENGTH


def test_ticket_codes_are_url_safe_without_look_alikes():
    assert not LOOK_ALIKES & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)
    for _ in range(200):
        code = new_ticket_code()
        assert set(code) <= set(ALPHABET)
        assert code.isalnum() and code.isascii() and code == code.upper()


def test_ticket_codes_are_unique_and_use_the_whole_alphabet():
    codes = [new_ticket_code() for _ in range(20_000)]
    assert len(set(codes)) == len(codes)
    # Every symbol turns up at every position: no position is fixed or biased away.
    for position in (0, TICKET_CODE_LENGTH // 2, TICKET_CODE_LENGTH - 1):
        assert {code[position] for code in codes} == set(ALPHABET)


# --- payload and parser -----------------------------------------------------------------------


CODE = "23456789ABCDEFGHJKMNPQRSTVW"
assert len(CODE) == TICKET_CODE_LENGTH


def test_qr_payload_version_1_is_the_ticket_url():
    assert QR_PAYLOAD_VERSION == 1
    assert ticket_url(CODE, base_url="https://checkin.example.dk/") == (
        f"https://checkin.example.dk/t/{CODE}"
    )


@pytest.mark.parametrize(
    "text",
    [
        f"https://checkin.example.dk/t/{CODE}",
        f"http://192.168.1.20:8000/t/{CODE}/",  # another host name, trailing slash
        f"https://checkin.example.dk/t/{CODE}?utm=1#x",
        f"/t/{CODE}",
        CODE,
        f"  {CODE}\n",
        CODE.lower(),  # typed by hand
        "-".join(CODE[i : i + 3] for i in range(0, len(CODE), 3)),  # read out in groups
        " ".join(CODE[i : i + 3] for i in range(0, len(CODE), 3)).lower(),
    ],
)
def test_parse_accepts_the_url_or_the_bare_code(text):
    assert parse_scanned(text) == CODE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        CODE[:-1],  # too short
        CODE + "A",  # too long
        CODE[:-1] + "O",  # a look-alike is refused, not guessed
        CODE[:-1] + "1",
        "https://checkin.example.dk/",
        f"https://checkin.example.dk/b/{CODE}",  # another path
        f"https://checkin.example.dk/activities/{CODE}",
        f"https://checkin.example.dk/t/{CODE}/extra",
        "https://checkin.example.dk/t/",
        "WIFI:S:nordby;T:WPA;P:secret;;",
        "ÆØÅ" * 9,
        f"http://[x/t/{CODE}",  # not a web address: refused, not a 500 at the desk
        f"https://[::1/t/{CODE}",
    ],
)
def test_parse_refuses_garbage(text):
    assert parse_scanned(text) is None


# --- what a ticket is valid for ----------------------------------------------------------------


@pytest.fixture
def family(app, frozen_clock):
    session = make_session(starts_in=timedelta(days=2))
    booking = make_booking(session, people=["Amina", "Omar"])
    db.session.commit()
    return booking


def test_attendee_and_household_codes_find_their_tickets(family):
    amina, omar = family.attendees
    assert len({amina.ticket_code, omar.ticket_code, family.household_code}) == 3
    for code in (amina.ticket_code, omar.ticket_code, family.household_code):
        assert len(code) >= TICKET_CODE_LENGTH
        assert str(family.id) != code and str(amina.id) != code
        assert "Amina" not in code.title()

    ticket = find_ticket(amina.ticket_code)
    assert ticket.attendee == amina and not ticket.is_household
    household = find_ticket(family.household_code)
    assert household.booking == family and household.is_household
    assert find_ticket(new_ticket_code()) is None


def test_a_ticket_is_valid_at_confirmed_sessions_until_they_end(family, frozen_clock):
    session = family.seat_rows[0].session
    amina = family.attendees[0]
    details = describe_ticket(find_ticket(amina.ticket_code), at=frozen_clock.at)
    assert details.state == TicketState.VALID and details.shows_qr
    assert details.sessions == [session]
    assert details.holders == [amina]

    # Still valid while the session runs; not after it ended.
    during = session.starts_at + timedelta(minutes=30)
    assert list_valid_sessions(family, at=during) == [session]
    after = session.ends_at + timedelta(minutes=1)
    assert describe_ticket(find_ticket(amina.ticket_code), at=after).state == TicketState.NO_DATES


def test_a_waiting_household_is_told_so(app, frozen_clock):
    session = make_session(make_activity(default_capacity=1))
    make_booking(session, people=["Søren"])
    waiting = make_booking(session, people=["Олег"])
    db.session.commit()
    details = describe_ticket(find_ticket(waiting.household_code), at=frozen_clock.at)
    assert details.state == TicketState.WAITLISTED
    assert details.sessions == [] and details.waiting == [session]
    assert list_printable_tickets(waiting, at=frozen_clock.at)[0].sessions == []


def test_cancelled_person_and_booking(family, frozen_clock):
    amina, omar = family.attendees
    cancel_attendee(family, omar, at=frozen_clock.at)
    db.session.commit()

    omar_ticket = describe_ticket(find_ticket(omar.ticket_code), at=frozen_clock.at)
    assert omar_ticket.state == TicketState.CANCELLED
    household = describe_ticket(find_ticket(family.household_code), at=frozen_clock.at)
    assert household.state == TicketState.VALID
    assert household.holders == [amina] and household.cancelled_people == [omar]
    assert [card.attendee for card in list_printable_tickets(family, at=frozen_clock.at)] == [amina]

    cancel_booking(family, at=frozen_clock.at)
    db.session.commit()
    for code in (amina.ticket_code, family.household_code):
        details = describe_ticket(find_ticket(code), at=frozen_clock.at)
        assert details.state == TicketState.CANCELLED
        assert not details.shows_qr and details.sessions == []
    assert list_printable_tickets(family, at=frozen_clock.at) == []


def test_printable_tickets_one_per_person_then_the_household(family, frozen_clock):
    cards = list_printable_tickets(family, at=frozen_clock.at)
    assert [card.code for card in cards] == [
        *(a.ticket_code for a in family.attendees),
        family.household_code,
    ]
    assert cards[-1].attendee is None
    assert all(card.sessions == [family.seat_rows[0].session] for card in cards)
