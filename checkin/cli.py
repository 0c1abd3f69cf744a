"""Command-line tasks: ``flask create-user``, ``flask demo``, ``flask anonymize``; the message
commands (``flask send-outbox``, ``flask send-reminders``) live in ``cli_notify``, ``flask
check`` in ``checks``."""

from __future__ import annotations

import click
from flask import Flask

from checkin import cli_notify
from checkin.checks import check_command
from checkin.extensions import db
from checkin.services import clock
from checkin.services.accounts import create_user
from checkin.services.errors import DomainError
from checkin.vocabulary import Role


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), prompt=True)
@click.password_option()
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff, volunteer or admin login."""
    try:
        user = create_user(email, password, name=name, role=role, at=clock.now())
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}")


@click.command("demo")
@click.option("--url", default="http://127.0.0.1:5000", help="Printed as where to open the app.")
def demo_command(url: str) -> None:
    """Load realistic demo data for Randers Nordby (safe to run again)."""
    from checkin.demo import DEMO_LOGINS, load_demo

    summary = load_demo(at=clock.now())
    db.session.commit()
    click.echo(summary)
    click.echo(f"\nOpen {url}")
    click.echo("Demo logins (e-mail / password):")
    for role, (email, password) in DEMO_LOGINS.items():
        click.echo(f"  {role:<10} {email} / {password}")


# The command keeps the spelling the README and cron jobs know; the code says "anonymise".
@click.command("anonymize")
@click.option("--months", type=int, default=None, help="Default: RETENTION_MONTHS (12).")
def anonymise_command(months: int | None) -> None:
    """Anonymise personal data past the retention period (safe to run daily from cron)."""
    from flask import current_app

    from checkin.services.privacy import anonymise_expired

    report = anonymise_expired(
        at=clock.now(), months=months or int(current_app.config["RETENTION_MONTHS"])
    )
    db.session.commit()
    click.echo(str(report))


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(anonymise_command)
    cli_notify.register(app)
    # Also a plugin command (pyproject.toml), so that it runs when the app cannot start.
    app.cli.add_command(check_command)
