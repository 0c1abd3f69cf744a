"""Desks scanning tickets through nginx while app servers are reloaded, killed, or lose their
database connections.

A desk does what the desk's JavaScript does: every scan gets a client id (UUID) and the time it
happened, once; when the request fails (no answer, a 5xx) it is sent again with the same
client id and time, so the server answers the first result instead of recording it twice.
"""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pgdb
from client import Browser, Site, address
from work import Line, Work, alive, children

BURST_SECONDS = 90


def open_desk(site: Site, state: dict) -> str:
    """Trade the desk link and its PIN for a bearer token, as a tablet does once."""
    browser = Browser(site, address(3, 0), timeout=30)
    try:
        response = browser.post_json(
            "/api/v1/desk-links/open",
            {"token": state["desk"]["link_token"], "pin": state["desk"]["pin"]},
        )
    finally:
        browser.close()
    if response.status != 200:
        raise RuntimeError(f"opening the desk link: {response.status} {response.text[:200]}")
    return response.json()["token"]


@dataclass
class ScanBook:
    """What the desks were told, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: dict[str, dict] = field(default_factory=dict)  # code -> first 200 answer
    client_ids: dict[str, str] = field(default_factory=dict)  # code -> its client id
    acked_at: dict[str, float] = field(default_factory=dict)  # code -> monotonic time
    statuses: Counter[str] = field(default_factory=Counter)  # every attempt's outcome
    failed_first: int = 0
    failed_after_retry: int = 0
    unanswered: list[str] = field(default_factory=list)

    @property
    def acked(self) -> int:
        return len(self.answers)


def attempt(browser: Browser, path: str, payload: dict | None, token: str) -> tuple[str, dict]:
    """One request: ("200", body) / ("502", {}) / ("error", {})."""
    try:
        if payload is None:
            response = browser.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        else:
            response = browser.post_json(path, payload, token)
    except (OSError, http.client.HTTPException):
        return "error", {}
    if response.status == 200 and payload is not None:
        return "200", response.json()
    return str(response.status), {}


def failed(outcome: str) -> bool:
    return outcome == "error" or outcome.startswith("5")


def scan(
    browser: Browser,
    token: str,
    session_id: int,
    code: str,
    book: ScanBook,
    *,
    retries: int | None,
    deadline: float,
) -> None:
    """Scan ``code``, retrying with the same client id ``retries`` times (None: until the
    deadline, like the desk's offline queue)."""
    client_id = str(uuid.uuid4())
    payload = {"code": code, "client_id": client_id, "occurred_at": datetime.now(UTC).isoformat()}
    with book.lock:
        book.client_ids[code] = client_id
    tries = 0
    while True:
        tries += 1
        outcome, answer = attempt(browser, f"/api/v1/sessions/{session_id}/scan", payload, token)
        with book.lock:
            book.statuses[outcome] += 1
            if outcome == "200":
                book.answers[code] = answer
                book.acked_at[code] = time.monotonic()
                return
            if tries == 1 and failed(outcome):
                book.failed_first += 1
        out_of_tries = retries is not None and tries > retries
        if not failed(outcome) or out_of_tries or time.monotonic() > deadline:
            with book.lock:
                book.unanswered.append(code)
                if failed(outcome) and retries is not None:
                    book.failed_after_retry += 1
            return
        time.sleep(0.2)


def stored_once(session_id: int, book: ScanBook, codes: list[str]) -> tuple[int, int, int]:
    """(checked in exactly once with our client id, missing, doubled) per the database."""
    stored = pgdb.check_ins_by_code(None, session_id)
    once = sum(1 for code in codes if stored.get(code) == [book.client_ids.get(code)])
    missing = sum(1 for code in codes if not stored.get(code))
    doubled = sum(len(stored[code]) - 1 for code in codes if len(stored.get(code, [])) > 1)
    return once, missing, doubled


def answered_ok(book: ScanBook, codes: list[str]) -> tuple[int, int]:
    """(answered "ok", of which replayed originals)."""
    ok = [book.answers[c] for c in codes if book.answers.get(c, {}).get("result") == "ok"]
    return len(ok), sum(1 for answer in ok if answer.get("replayed"))


def burst(site: Site, state: dict, work: Work) -> list[Line]:
    """Eight desks scan the burst pool; at 20% A's master gets HUP, at 45% B is killed -9."""
    token = open_desk(site, state)
    session_id = state["desk"]["session_id"]
    codes: list[str] = state["desk"]["pools"]["burst"]
    queue = iter(codes)
    queue_lock = threading.Lock()
    book = ScanBook()
    deadline = time.monotonic() + BURST_SECONDS
    events: dict[str, Any] = {}

    def desk(n: int) -> None:
        browser = Browser(site, address(3, n + 1), timeout=30)
        while True:
            with queue_lock:
                code = next(queue, None)
            if code is None:
                break
            scan(browser, token, session_id, code, book, retries=None, deadline=deadline)
        browser.close()

    def operator() -> None:
        pid_a, pid_b = work.pid("app-a"), work.pid("app-b")
        while book.acked < len(codes) * 0.20 and time.monotonic() < deadline:
            time.sleep(0.02)
        events["a_workers_before"] = children(pid_a) if pid_a else set()
        if pid_a:
            os.kill(pid_a, signal.SIGHUP)
            events["hup_at"] = book.acked
        while book.acked < len(codes) * 0.45 and time.monotonic() < deadline:
            time.sleep(0.02)
        if pid_b:
            victims = [pid_b, *children(pid_b)]
            for pid in victims:
                os.kill(pid, signal.SIGKILL)
            events["kill_at"] = book.acked
            events["killed"] = victims

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(8)]
    threads.append(threading.Thread(target=operator))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=BURST_SECONDS + 30)
    seconds = time.monotonic() - started

    ok, replayed = answered_ok(book, codes)
    once, missing, doubled = stored_once(session_id, book, codes)
    work.save_acks("burst", {"client_ids": [book.client_ids[c] for c in book.answers]})
    retried = sum(n for outcome, n in book.statuses.items() if failed(outcome))
    killed = events.get("killed", [])
    lines = [
        Line(
            "desks: HUP of app A and kill -9 of app B mid-burst",
            f"{len(codes)} tickets checked in once: 0 lost, 0 doubled",
            f"{ok} answered ok ({replayed} replayed) in {seconds:.1f} s, {retried} failed "
            f"attempts retried (B killed at {events.get('kill_at', '-')}); database: "
            f"{once} once, {missing} missing, {doubled} doubled",
            ok == once == len(codes)
            and missing == doubled == 0
            and bool(killed)
            and not any(alive(pid) for pid in killed),
        ),
        _reload_line(work, events),
    ]
    return lines


def _reload_line(work: Work, events: dict[str, Any]) -> Line:
    pid_a = work.pid("app-a")
    before: set[int] = events.get("a_workers_before", set())
    after: set[int] = set()
    end = time.monotonic() + 30
    while time.monotonic() < end:  # old workers finish their requests, then exit
        after = children(pid_a) if pid_a else set()
        if before and after and not after & before and len(after) == len(before):
            break
        time.sleep(0.5)
    replaced = bool(before) and bool(after) and not after & before
    return Line(
        "app A reloaded gracefully (HUP to its master)",
        "same master, all workers replaced",
        f"master {pid_a} {'alive' if alive(pid_a) else 'GONE'}, HUP at {events.get('hup_at')}:"
        f" workers {sorted(before)} -> {sorted(after)}",
        replaced and alive(pid_a),
    )


def db_kill(site: Site, state: dict, work: Work) -> list[Line]:
    """Six clients (desks scanning, pages read) run while every database connection of the app
    servers is terminated; a failed request is retried once."""
    token = open_desk(site, state)
    session_id = state["desk"]["session_id"]
    codes: list[str] = state["desk"]["pools"]["pgkill"]
    queue = iter(codes)
    queue_lock = threading.Lock()
    book = ScanBook()
    reads = ScanBook()  # page reads: only the counters are used
    stop = threading.Event()
    page_paths = [
        f"/activities/{state['rush']['slug']}",
        f"/api/v1/sessions/{session_id}/counters",
    ]

    def client(n: int) -> None:
        browser = Browser(site, address(4, n), timeout=30)
        turn = 0
        while not stop.is_set():
            turn += 1
            if turn % 2:
                with queue_lock:
                    code = next(queue, None)
                if code is not None:
                    scan(browser, token, session_id, code, book, retries=1, deadline=float("inf"))
                    continue
            path = page_paths[turn % len(page_paths)]
            for tries in (1, 2):
                outcome, _ = attempt(browser, path, None, token)
                with reads.lock:
                    reads.statuses[outcome] += 1
                    if failed(outcome) and tries == 1:
                        reads.failed_first += 1
                    elif failed(outcome):
                        reads.failed_after_retry += 1
                if not failed(outcome):
                    break
                time.sleep(0.2)
        browser.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    terminated = pgdb.terminate_app_connections()
    time.sleep(7)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    once, missing, doubled = stored_once(session_id, book, list(book.client_ids))
    work.save_acks("pgkill", {"client_ids": [book.client_ids[c] for c in book.answers]})
    requests = sum(book.statuses.values()) + sum(reads.statuses.values())
    first = book.failed_first + reads.failed_first
    after = book.failed_after_retry + reads.failed_after_retry
    scanned = len(book.client_ids)
    return [
        Line(
            "pg_terminate_backend on the app servers' connections mid-load",
            "no 5xx after the first retry",
            f"{terminated} connections ended; {requests} requests, {first} failed first, "
            f"{after} after the retry; {once}/{scanned} scans stored once",
            terminated > 0 and after == 0 and once == scanned and missing == doubled == 0,
        )
    ]
