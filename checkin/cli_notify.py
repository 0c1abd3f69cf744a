"""``flask send-outbox`` and ``flask send-reminders``: the notification jobs.

``send-outbox --loop`` is the message worker a deployment runs as a service; without
``--loop`` it sends what is due once (for cron, or by hand). Every form is safe to run side by
side, on one host or several: each message is claimed by one run before it is sent, and a
reminder is queued once per booking and session.
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask

from checkin.extensions import db
from checkin.services import clock
from checkin.services.notify import deliver_pending, queue_reminders, run_worker


@click.command("send-outbox")
@click.option(
    "--limit", default=100, show_default=True, help="At most this many messages (per round)."
)
@click.option("--loop", is_flag=True, help="Keep running: the message worker, until SIGTERM.")
@click.option(
    "--interval",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0.05),
    help="With --loop: seconds between looks at the outbox when it is empty.",
)
def send_outbox_command(limit: int, loop: bool, interval: float) -> None:
    """Send the messages that are due (new ones and retries); with --loop, keep doing so."""
    if not loop:
        report = deliver_pending(at=clock.now(), limit=limit)
        click.echo(f"Messages: {report}")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Message worker: delivering every {interval:g} s until stopped", err=True)
    totals = run_worker(stop, interval=interval, batch=limit)
    click.echo(
        f"Message worker stopped after {totals.rounds} rounds, {totals.errors} database "
        f"errors. Messages: {totals.report}",
        err=True,
    )


@click.command("send-reminders")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
def send_reminders_command(limit: int) -> None:
    """Queue reminders for sessions starting within REMINDER_HOURS, then send what is due."""
    at = clock.now()
    queued = queue_reminders(at=at)
    db.session.commit()
    click.echo(f"Reminders queued: {queued}")
    report = deliver_pending(at=at, limit=limit)
    click.echo(f"Messages: {report}")


def register(app: Flask) -> None:
    app.cli.add_command(send_outbox_command)
    app.cli.add_command(send_reminders_command)
