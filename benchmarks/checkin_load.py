"""Check-in throughput at the door: scans per second through the real API, on loopback.

Starts gunicorn on 127.0.0.1 against a fresh database (PostgreSQL by default, as in
production; ``--sqlite`` for the embedded default), seeds one session with ``--tickets``
single-person bookings and a desk link, opens the link through the API for a bearer token,
then lets ``--clients`` concurrent desks POST one scan per ticket (every scan a first
admission: ``ok``), and a second round of the same tickets (``already_checked_in``). It prints
throughput and latency percentiles per round and checks the database holds exactly one
check-in per ticket. Bounded in count and time; only 127.0.0.1 is contacted.

    .venv/bin/python benchmarks/checkin_load.py                    # PostgreSQL on 127.0.0.1
    .venv/bin/python benchmarks/checkin_load.py --sqlite --clients 4

A report, never a pass/fail test: it exits non-zero only when it cannot run or the data is
wrong (a lost or doubled check-in).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "checkin_bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_database(use_sqlite: bool, workdir: Path) -> str:
    if use_sqlite:
        return f"sqlite:///{workdir / 'bench.sqlite'}"
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"))
        conn.execute(sa.text(f"CREATE DATABASE {PG_BENCH_DB}"))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def seed(env: dict[str, str], tickets: int) -> tuple[int, list[str], str, str]:
    """Migrate and create one session with ``tickets`` bookings; returns the session id, the
    ticket codes and a desk link's token and PIN."""
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    os.environ.update(env)
    from checkin import create_app
    from checkin.extensions import db
    from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
    from checkin.services.desk import create_desk_link
    from checkin.services.planning import create_activity, create_project, create_session

    app = create_app()
    with app.app_context():
        now = datetime.now(UTC)
        project = create_project("Benchmark", at=now)
        activity = create_activity(project, "Fællesspisning", at=now, default_capacity=None)
        session = create_session(
            activity, starts_at=now + timedelta(minutes=30), ends_at=now + timedelta(hours=3)
        )
        codes = []
        for n in range(tickets):
            booking = create_booking(
                activity,
                sessions=[session],
                contact=ContactDetails(name=f"Beboer {n}", phone=f"+4520{n:06d}"),
                attendees=[AttendeeDetails(first_name=f"Person {n}", birth_year=1990)],
                at=now,
                info_text_version="bench",
            )
            codes.append(booking.attendees[0].ticket_code)
        _link, token, pin = create_desk_link("Benchmark tablet", by=None, at=now)
        db.session.commit()
        session_id = session.id
        db.engine.dispose()
    return session_id, codes, token, pin


def request(conn: http.client.HTTPConnection, method: str, path: str, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"null")


def run_round(port: int, session_id: int, codes: list[str], token: str, clients: int):
    """Every code scanned once, spread over ``clients`` desks; (latencies, results, seconds)."""
    latencies: list[float] = []
    results: dict[str, int] = {}
    lock = threading.Lock()
    chunks = [codes[i::clients] for i in range(clients)]

    def desk(chunk: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        seen: dict[str, int] = {}
        for code in chunk:
            body = {
                "code": code,
                "client_id": str(uuid.uuid4()),
                "occurred_at": datetime.now(UTC).isoformat(),
            }
            started = time.perf_counter()
            status, answer = request(
                conn, "POST", f"/api/v1/sessions/{session_id}/scan", body, token
            )
            mine.append(time.perf_counter() - started)
            key = answer.get("result", f"http_{status}") if status == 200 else f"http_{status}"
            seen[key] = seen.get(key, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for key, count in seen.items():
                results[key] = results.get(key, 0) + count

    started = time.perf_counter()
    threads = [threading.Thread(target=desk, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return latencies, results, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else 0


def count_check_ins(env: dict[str, str], session_id: int) -> int:
    import sqlalchemy as sa

    url = env["DATABASE_URL"]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(
            sa.text("SELECT COUNT(*) FROM check_in WHERE session_id = :s AND undone_at IS NULL"),
            {"s": session_id},
        ).scalar()
    engine.dispose()
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="use SQLite instead of PostgreSQL")
    parser.add_argument("--tickets", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8, help="concurrent desks")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="checkin-bench-") as tmp:
        workdir = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": fresh_database(args.sqlite, workdir),
            "CHECKIN_SECRET_KEY": secrets.token_hex(16),
            # Production as configured, served over plain HTTP on 127.0.0.1 without a proxy.
            "CHECKIN_PUBLIC_BASE_URL": "https://checkin.example.dk",
            "CHECKIN_RATELIMIT_ENABLED": "false",
            "CHECKIN_NOTIFY_DELIVER_AFTER_RESPONSE": "false",
        }
        print(f"seeding {args.tickets} tickets ...", flush=True)
        session_id, codes, link_token, pin = seed(env, args.tickets)
        port = free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "--log-level", "warning"]
        gunicorn += ["-w", str(args.workers), "-b", f"127.0.0.1:{port}", "wsgi:app"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        try:
            for _ in range(100):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    status, opened = request(
                        conn, "POST", "/api/v1/desk-links/open", {"token": link_token, "pin": pin}
                    )
                    conn.close()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                print("gunicorn did not answer", file=sys.stderr)
                return 1
            if status != 200:
                print(f"could not open the desk link: {status} {opened}", file=sys.stderr)
                return 1
            token = opened["token"]
            database = "SQLite" if args.sqlite else "PostgreSQL"
            print(
                f"{database}, gunicorn {args.workers} workers, {args.clients} concurrent desks, "
                f"{len(codes)} tickets"
            )
            print(f"{'round':<22}{'scans/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  results")
            for name in ("first scans (ok)", "repeat scans"):
                latencies, results, seconds = run_round(
                    port, session_id, codes, token, args.clients
                )
                print(
                    f"{name:<22}{len(latencies) / seconds:>9.1f}"
                    f"{percentile(latencies, 0.50) * 1000:>9.1f}"
                    f"{percentile(latencies, 0.95) * 1000:>9.1f}"
                    f"{percentile(latencies, 0.99) * 1000:>9.1f}  {results}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        stored = count_check_ins(env, session_id)
        print(f"check-ins stored: {stored} (expected {len(codes)})")
        return 0 if stored == len(codes) else 2


if __name__ == "__main__":
    sys.exit(main())
