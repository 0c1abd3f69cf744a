"""The message worker: a long-running loop that delivers the outbox as messages fall due.

Web requests only write outbox rows; this loop (``flask send-outbox --loop``, one systemd
service per host) sends them. It is safe to run on several hosts at once: ``deliver_pending``
claims each message with a lease before sending it, so two workers never send one message.

A message is picked up within ``interval`` seconds of its commit, whichever path queued it (a
resident's sign-up, a staff member's cancellation, a CLI job). A full batch is followed at once
by the next one, so a backlog drains at full speed. A database that goes away (a restart, a
failover, a terminated connection) is logged and retried after a pause; the worker itself only
stops when asked to.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from checkin.extensions import db
from checkin.services import clock
from checkin.services.notify.delivery import DeliveryReport, deliver_pending

log = logging.getLogger(__name__)

# Seconds to wait after a database error before trying again.
ERROR_PAUSE = 5.0


@dataclass
class WorkerTotals:
    """What one worker run did, for its log line at the end."""

    rounds: int = 0
    errors: int = 0
    report: DeliveryReport = field(default_factory=DeliveryReport)

    def add(self, report: DeliveryReport) -> None:
        self.report.sent += report.sent
        self.report.failed += report.failed
        self.report.given_up += report.given_up
        self.report.skipped += report.skipped


def run_worker(
    stop: threading.Event, *, interval: float, batch: int, error_pause: float = ERROR_PAUSE
) -> WorkerTotals:
    """Deliver due messages until ``stop`` is set. Sleeps ``interval`` seconds between rounds
    that found less than a full ``batch``; never sleeps past ``stop``."""
    totals = WorkerTotals()
    while not stop.is_set():
        try:
            report = deliver_pending(at=clock.now(), limit=batch)
        except SQLAlchemyError:
            log.exception("The message worker could not reach the database; trying again")
            totals.errors += 1
            stop.wait(error_pause)
            continue
        finally:
            db.session.remove()  # a fresh session per round: nothing cached between rounds
        totals.rounds += 1
        totals.add(report)
        if report.sent or report.failed or report.given_up:
            log.info("Messages: %s", report)
        handled = report.sent + report.failed + report.given_up + report.skipped
        if handled < batch:
            stop.wait(interval)
    return totals
