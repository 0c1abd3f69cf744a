"""The one migration history gives exactly the models' schema, and can be undone."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from checkin.extensions import db
from checkin.models import Base
from tests.conftest import make_app


def test_upgrade_gives_models_schema_and_downgrade_empties(database, tmp_path):
    url, engine_options = database
    app = make_app(url, engine_options, tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == []

    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(sa.inspect(db.engine).get_table_names())
        assert tables <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_from_0001_keeps_and_completes_existing_rows(database, tmp_path):
    url, engine_options = database
    app = make_app(url, engine_options, tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0001_initial"]).exit_code == 0
    # A booking needs an activity and a project; insert the chain in plain SQL as 0001 had it.
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO project (id, name, active) VALUES (1, 'P', true)"))
        conn.execute(
            sa.text(
                "INSERT INTO activity (id, project_id, slug, name, target_group, signup_required,"
                " active, created_at) VALUES (1, 1, 'a', 'A', 'everyone', true, true,"
                " '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO booking (id, activity_id, scope, contact_name, contact_phone,"
                " contact_is_adult, locale, manage_token, household_code, info_text_version,"
                " source, created_at) VALUES (1, 1, 'session', 'Sofie Ørsted', '+4520000000',"
                " true, 'da', 'tok', 'HH', 'v1', 'online', '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO attendee (id, booking_id, first_name, ticket_code, created_at)"
                " VALUES (1, 1, 'Åse', 'T1', '2026-01-01 10:00:00')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO outbox_message (id, kind, booking_id, created_at, attempts)"
                " VALUES (1, 'booking_confirmed', 1, '2026-01-01 10:00:00', 0)"
            )
        )
    with app.app_context():
        db.engine.dispose()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context(), db.engine.begin() as conn:
        assert conn.execute(sa.text("SELECT search_name FROM attendee")).scalar() == (
            "aase sofie orsted"
        )
        assert conn.execute(sa.text("SELECT next_attempt_at FROM outbox_message")).scalar()
        conn.execute(
            sa.text(
                "INSERT INTO outbox_message (id, kind, booking_id, created_at, next_attempt_at,"
                " attempts) VALUES (2, 'tickets', 1, '2026-01-02 10:00:00',"
                " '2026-01-02 10:00:00', 0)"
            )
        )
    with app.app_context():
        db.engine.dispose()
