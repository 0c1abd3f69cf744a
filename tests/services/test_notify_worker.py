"""The message worker (`flask send-outbox --loop`): whatever path queues a message, a running
worker delivers it within seconds, once, and survives the database going away."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from checkin import ROOT
from checkin.extensions import db
from checkin.models import OutboxMessage
from checkin.services import notify
from checkin.services.notify import WorkerTotals, run_worker
from tests.factories import make_activity, make_booking, make_session
from tests.web.helpers import csrf_token

WAIT = 15.0  # seconds a worker may take on a loaded machine; it polls every 0.05 s here


class Recorder:
    """A backend that keeps the phone numbers it was asked to text."""

    def __init__(self) -> None:
        self.sms: list[str] = []
        self.lock = threading.Lock()

    def send_sms(self, to: str, text: str) -> None:
        with self.lock:
            self.sms.append(to)

    def send_email(self, message) -> None:  # pragma: no cover - every test books by phone
        raise AssertionError("no e-mail expected")


@pytest.fixture
def app_config() -> dict:
    # The worker delivers; the web request only writes the outbox, as in production.
    return {"PUBLIC_BASE_URL": "https://checkin.example.dk", "NOTIFY_DELIVER_AFTER_RESPONSE": False}


@pytest.fixture
def recorder(app) -> Recorder:
    backend = Recorder()
    app.config["NOTIFY_BACKEND_SMS"] = backend
    return backend


@contextmanager
def running_workers(app, count: int = 1, **options) -> Iterator[list[WorkerTotals]]:
    """``count`` workers on threads of their own (as on separate hosts), stopped on exit."""
    stop = threading.Event()
    totals: list[WorkerTotals] = []

    def work() -> None:
        with app.app_context():
            totals.append(run_worker(stop, interval=0.05, batch=5, **options))

    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield totals
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=WAIT)
        assert not any(thread.is_alive() for thread in threads), "a worker did not stop"


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "not delivered in time"
        time.sleep(0.02)


def sent_ids() -> list[int]:
    db.session.rollback()  # see the workers' commits
    sent = select(OutboxMessage.id).where(OutboxMessage.sent_at.is_not(None))
    return list(db.session.scalars(sent))


def test_a_promotion_caused_by_a_cancellation_reaches_the_waiting_household(app, client, recorder):
    """The issue's case: a resident cancels on the web, a waiting household is promoted; with
    no delivery in the web request, the running worker texts them."""
    dinner = make_activity(name="Fællesspisning", default_capacity=1)
    session = make_session(dinner, starts_in=timedelta(days=3))
    seated = make_booking(session, phone="+4520111111")
    make_booking(session, phone="+4520222222")  # waiting
    db.session.commit()

    with running_workers(app):
        wait_for(lambda: len(recorder.sms) == 2)  # the two sign-up messages
        url = f"/b/{seated.manage_token}/cancel"
        response = client.post(url, data={"csrf_token": csrf_token(client, url)})
        assert response.status_code == 303
        wait_for(lambda: len(recorder.sms) == 3)

    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds[2:] == ["waitlist_promoted"]
    assert recorder.sms[2:] == ["+4520222222"]


def test_several_workers_send_a_backlog_once_each(app, recorder):
    session = make_session(capacity=None)
    phones = [f"+45203000{n:02d}" for n in range(23)]  # more than a batch of 5
    for phone in phones:
        make_booking(session, phone=phone)
    db.session.commit()

    with running_workers(app, count=3) as totals:
        wait_for(lambda: len(recorder.sms) >= len(phones) and len(sent_ids()) == len(phones))

    assert sorted(recorder.sms) == phones  # each household texted once
    assert sum(t.report.sent for t in totals) == len(phones)


def test_a_database_error_is_survived(app, recorder, monkeypatch):
    real = notify.worker.deliver_pending
    failures = iter([True, True])

    def flaky(**kwargs):
        if next(failures, False):
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        return real(**kwargs)

    monkeypatch.setattr(notify.worker, "deliver_pending", flaky)
    make_booking(make_session(), phone="+4520444444")
    db.session.commit()

    with running_workers(app, error_pause=0.05) as totals:
        wait_for(lambda: recorder.sms == ["+4520444444"])

    assert totals[0].errors == 2 and totals[0].report.sent == 1


def test_the_command_runs_until_sigterm(tmp_path):
    """`flask send-outbox --loop` as systemd runs it: it delivers, and SIGTERM ends it cleanly."""
    database = tmp_path / "worker.sqlite"
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CHECKIN_INSTANCE_PATH": str(instance),
        "CHECKIN_ENVIRONMENT": "development",
        "CHECKIN_SECRET_KEY": "test-secret",
        "CHECKIN_PUBLIC_BASE_URL": "https://checkin.example.dk",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    script = (
        "from wsgi import app\n"
        "from checkin.extensions import db\n"
        "from tests.factories import make_booking, make_session\n"
        "with app.app_context():\n"
        "    make_booking(make_session(), phone='+4520555555'); db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)

    worker = subprocess.Popen(
        [*flask, "send-outbox", "--loop", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        outbox = instance / "outbox"
        deadline = time.monotonic() + WAIT
        while not (outbox.exists() and any(outbox.iterdir())):
            assert worker.poll() is None, worker.communicate()[1]
            assert time.monotonic() < deadline, "the worker delivered nothing"
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=WAIT)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "Message worker stopped" in err and "sent 1" in err
    assert [path.suffix for path in outbox.iterdir()] == [".txt"]
