"""``flask send-outbox`` and ``flask send-reminders``: the notification jobs for cron.

Both are safe to run every few minutes, and side by side: each message is claimed by one run
before it is sent, and a reminder is queued once per booking and session.
"""

from __future__ import annotations

import click
from flask import Flask

from checkin.extensions import db
from checkin.services import clock
from checkin.services.notify import deliver_pending, queue_reminders


@click.command("send-outbox")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
def send_outbox_command(limit: int) -> None:
    """Send the messages that are due (new ones and retries)."""
    report = deliver_pending(at=clock.now(), limit=limit)
    click.echo(f"Messages: {report}")


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
