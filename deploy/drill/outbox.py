"""The message workers deliver what the requests queued: the outbox drains, and every message
reaches the mail server exactly once (the drill's SMTP sink keeps one file per delivery)."""

from __future__ import annotations

import email
import time
from collections import Counter
from email.utils import getaddresses

import pgdb
from work import Line, Work

DRAIN_SECONDS = 60


def _pending(after_id: int) -> tuple[int, int]:
    """(messages queued since the seed, of which not yet sent)."""
    total, pending = pgdb.rows(
        None,
        "SELECT count(*), count(*) FILTER (WHERE sent_at IS NULL) FROM outbox_message"
        " WHERE id > %s",
        (after_id,),
    )[0]
    return int(total), int(pending)


def _deliveries(work: Work) -> Counter[str]:
    """Recipient -> how many e-mails the sink received for them."""
    received: Counter[str] = Counter()
    for path in sorted(work.mail.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        for _name, address in getaddresses(message.get_all("To", [])):
            received[address.lower()] += 1
    return received


def _expected_recipients(after_id: int) -> Counter[str]:
    """Recipient -> messages the outbox holds for them (sent or not) since the seed."""
    return Counter(
        email_address.lower()
        for (email_address,) in pgdb.rows(
            None,
            "SELECT b.contact_email FROM outbox_message m JOIN booking b ON b.id = m.booking_id"
            " WHERE m.id > %s",
            (after_id,),
        )
    )


def drained(work: Work, *, phase: str, expect_at_least: int) -> list[Line]:
    after_id = work.state["outbox_before"]
    started = time.monotonic()
    total, pending = _pending(after_id)
    while pending and time.monotonic() - started < DRAIN_SECONDS:
        time.sleep(0.5)
        total, pending = _pending(after_id)
    seconds = time.monotonic() - started
    time.sleep(1)  # a duplicate send would land after the row was marked: give it a moment
    expected = _expected_recipients(after_id)
    received = _deliveries(work)
    twice = {to: n for to, n in received.items() if n > 1}
    missing = set(expected) - set(received)
    unexpected = set(received) - set(expected)
    return [
        Line(
            f"{phase}: outbox drained by the 2 message workers",
            f">= {expect_at_least} queued, 0 pending within {DRAIN_SECONDS} s",
            f"{total} queued, {pending} pending after {seconds:.1f} s",
            pending == 0 and total >= expect_at_least,
        ),
        Line(
            f"{phase}: every message delivered exactly once",
            f"{sum(expected.values())} e-mails, one per message",
            f"{sum(received.values())} e-mails to {len(received)} recipients; "
            f"{len(twice)} twice, {len(missing)} missing, {len(unexpected)} unexpected",
            not twice
            and not missing
            and not unexpected
            and Counter(received) == expected
            and total > 0,
        ),
    ]
