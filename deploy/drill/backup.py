"""A backup taken while residents book and desks scan restores into a fresh database holding
every seat and check-in that was acknowledged to a client before the dump started."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pgdb
from client import Browser, Site, address
from desk import ScanBook, open_desk, scan
from rush import book_once
from work import Line, Work

LEAD_SECONDS = 3  # load before the dump starts
TAIL_SECONDS = 2  # load after it ended


def run(site: Site, state: dict, work: Work) -> list[Line]:
    token = open_desk(site, state)
    session_id = state["desk"]["session_id"]
    codes = iter(state["desk"]["pools"]["backup"])
    lock = threading.Lock()
    book = ScanBook()
    bookings: list[tuple[float, str]] = []  # (acknowledged at, manage token)
    answered_at: list[float] = []
    stop = threading.Event()
    concert = state["concert"]

    def desk(n: int) -> None:
        browser = Browser(site, address(5, n), timeout=30)
        while not stop.is_set():
            with lock:
                code = next(codes, None)
            if code is None:
                break
            scan(
                browser, token, session_id, code, book, retries=None, deadline=time.monotonic() + 30
            )
            with lock:
                answered_at.append(time.monotonic())
            time.sleep(0.05)  # a door, not a benchmark: the scans spread over the dump
        browser.close()

    def resident(n: int) -> None:
        k = 0
        while not stop.is_set():
            browser = Browser(site, address(6 + n, k), timeout=30)
            outcome, token_ = book_once(
                browser, concert["slug"], concert["session_id"], k, tag=f"concert{n}"
            )
            k += 1
            with lock:
                answered_at.append(time.monotonic())
                if outcome == "confirmed" and token_:
                    bookings.append((time.monotonic(), token_))

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=resident, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(LEAD_SECONDS)
    dump_started = time.monotonic()
    backup = subprocess.run(
        ["bash", str(Path(__file__).resolve().parent.parent / "backup.sh")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CHECKIN_BACKUP_DIR": str(work.root / "backups")},
    )
    dump_ended = time.monotonic()
    time.sleep(TAIL_SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    during = sum(1 for t in answered_at if dump_started <= t <= dump_ended)
    dump = Path(backup.stdout.strip().splitlines()[-1]) if backup.stdout.strip() else None
    made = backup.returncode == 0 and dump is not None and dump.is_file()
    size = f"{dump.stat().st_size / 1e6:.1f} MB" if made and dump else "no file"
    lines = [
        Line(
            "deploy/backup.sh (pg_dump -Fc) while the load runs",
            "exit 0, a dump file, requests answered meanwhile",
            f"exit {backup.returncode}, {size} in {dump_ended - dump_started:.1f} s, "
            f"{during} requests answered during the dump"
            + (f"; {backup.stderr.strip()[-200:]}" if backup.returncode else ""),
            made and during > 0,
        )
    ]
    if not made or dump is None:
        lines.append(Line("restore of that backup", "restores", "no dump to restore", False))
        return lines

    # What clients were told before the dump started, by every phase so far.
    acks = work.all_acks()
    seats = set(acks.get("rush", {}).get("confirmed_tokens", []))
    seats |= {tok for at, tok in bookings if at < dump_started}
    check_ins = {cid for phase in acks.values() for cid in phase.get("client_ids", [])}
    check_ins |= {book.client_ids[c] for c, at in book.acked_at.items() if at < dump_started}
    lines.append(_restore(dump, seats, check_ins, state))
    return lines


def _restore(dump: Path, seats: set[str], check_ins: set[str], state: dict) -> Line:
    restore_db = os.environ["DRILL_RESTORE_DB"]
    with pgdb.connect("postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restore_db}"')
        conn.execute(f'CREATE DATABASE "{restore_db}"')
    admin = os.environ["DRILL_PG_ADMIN"]
    restored = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={admin}/{restore_db}",
            str(dump),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    expected = "every confirmed seat and check-in acknowledged before the dump"
    if restored.returncode != 0:
        return Line(
            "restore into a fresh database", expected, restored.stderr.strip()[-200:], False
        )
    present_seats = set()
    for key in ("rush", "concert"):
        present_seats |= pgdb.confirmed_tokens(restore_db, state[key]["session_id"])
    present_check_ins = {cid for (cid,) in pgdb.rows(restore_db, "SELECT client_id FROM check_in")}
    seats_found = len(seats & present_seats)
    check_ins_found = len(check_ins & present_check_ins)
    return Line(
        "restore into a fresh database",
        expected,
        f"{seats_found}/{len(seats)} seats, {check_ins_found}/{len(check_ins)} check-ins",
        seats_found == len(seats) and check_ins_found == len(check_ins) and bool(seats),
    )
