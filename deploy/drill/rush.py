"""The rush: 500 residents, each from an address of their own, book a 40-seat session at once.

Each resident does what a phone does: GET the activity page (cookie + CSRF token + the form's
idempotency key), wait for everyone, POST the household form, and follow the redirect to the
booking page when it books. When the session is full the form comes back (200) with the
waiting-list offer (``id="waitlist-offer"``), and nothing is booked until they say yes.
Then one client hammers the form from one address (with a forged X-Forwarded-For on every
request, which nginx must overwrite) until the per-address limit answers 429.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pgdb
from client import Browser, Site, address, hidden_fields
from work import Line, Work

RESIDENTS = 500
HAMMER_MAX = 120  # POSTs from one address before we call the limit absent
# The first answer of each unexpected kind, written to samples/ for whoever reads the logs.
SAMPLES: dict[str, str] = {}


def signup_form(slug: str, session_id: int, hidden: dict[str, str], n: int, *, tag: str):
    """A one-person household, as the activity page's form posts it."""
    return {
        **hidden,
        "session_id": str(session_id),
        "scope": "session",
        "is_adult": "yes",
        "name": f"Drill {tag} {n}",
        "phone": "",
        "email": f"{tag}-{n}@drill.example",
        "residence": "",
        "language": "da",
        "website": "",
        "attendees-0-first_name": f"Person {n}",
        "attendees-0-birth_year": "1990",
        "attendees-0-gender": "",
        "submit": "1",
    }


def classify(status: int, html: str) -> str:
    if status == 303:
        return "confirmed"
    if status == 200 and 'id="waitlist-offer"' in html:
        return "offered waiting list"
    if status == 429:
        return "429"
    if status >= 500:
        return "5xx"
    return f"other {status}"


def book_once(
    browser: Browser, slug: str, session_id: int, n: int, *, tag: str, barrier=None
) -> tuple[str, str | None]:
    """GET the form, (wait for the others,) POST it; (outcome, manage token or None)."""
    path = f"/activities/{slug}"
    hidden: dict[str, str] = {}
    try:
        page = browser.get(path)
        form_problem = "" if page.status == 200 else f"form page {page.status}"
        hidden = hidden_fields(page.text)
    except (OSError, http.client.HTTPException) as error:
        form_problem = f"form page {type(error).__name__}"
    if barrier is not None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=120)
    if form_problem or "csrf_token" not in hidden:
        browser.close()
        return form_problem or "form without CSRF token", None
    try:
        response = browser.post_form(path, signup_form(slug, session_id, hidden, n, tag=tag))
        outcome = classify(response.status, response.text)
        if outcome not in ("confirmed", "offered waiting list"):
            SAMPLES.setdefault(outcome, response.text)
        token = None
        if outcome == "confirmed":
            location = urlsplit(response.headers.get("location", "")).path
            token = location.removeprefix("/b/")
            # The page a phone lands on; its URL holds the secret manage link.
            if browser.get(location).status != 200:
                outcome = "confirmed, booking page failed"
        return outcome, token
    except (OSError, http.client.HTTPException) as error:
        return f"error {type(error).__name__}", None
    finally:
        browser.close()


def run(site: Site, state: dict, work: Work) -> list[Line]:
    slug, session_id = state["rush"]["slug"], state["rush"]["session_id"]
    capacity = state["rush"]["capacity"]
    outcomes: list[tuple[str, str | None]] = [("not run", None)] * RESIDENTS
    barrier = threading.Barrier(RESIDENTS)

    def resident(n: int) -> None:
        browser = Browser(site, address(1, n), timeout=90)
        outcomes[n] = book_once(browser, slug, session_id, n, tag="resident", barrier=barrier)

    started = time.monotonic()
    threads = [threading.Thread(target=resident, args=(n,)) for n in range(RESIDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=150)
    seconds = time.monotonic() - started
    counts = Counter(outcome for outcome, _ in outcomes)
    told_confirmed = {token for outcome, token in outcomes if token}
    in_db = pgdb.confirmed_tokens(None, session_id)
    seats_taken = pgdb.scalar(
        None, "SELECT seats_taken FROM activity_session WHERE id = %s", (session_id,)
    )
    work.save_acks("rush", {"confirmed_tokens": sorted(told_confirmed), "session_id": session_id})
    work.save_samples("rush", SAMPLES)
    offered = counts["offered waiting list"]
    bad = {k: v for k, v in counts.items() if k not in ("confirmed", "offered waiting list")}
    lines = [
        Line(
            f"rush: {RESIDENTS} residents, distinct addresses, book {capacity} seats at once",
            f"{capacity} confirmed in the database = {capacity} told so",
            f"{len(in_db)} in the database (seats_taken {seats_taken}), "
            f"{counts['confirmed']} told so, in {seconds:.1f} s",
            len(in_db) == capacity == seats_taken and in_db == told_confirmed,
        ),
        Line(
            "rush: the others are offered the waiting list",
            f"{RESIDENTS - capacity} offered",
            f"{offered} offered",
            offered == RESIDENTS - capacity,
        ),
        Line(
            "rush: no 5xx, no 429, no failed request",
            "none",
            ", ".join(f"{v} {k}" for k, v in sorted(bad.items())) or "none",
            not bad,
        ),
    ]
    lines.append(hammer(site, slug, session_id))
    return lines


def hammer(site: Site, slug: str, session_id: int) -> Line:
    """One address POSTs the form again and again (each a new household, so only the
    per-address limit can stop it), forging X-Forwarded-For each time."""
    browser = Browser(site, address(2, 0), timeout=30)
    path = f"/activities/{slug}"
    statuses: Counter[str] = Counter()
    first_429 = None
    try:
        hidden = hidden_fields(browser.get(path).text)
        for n in range(HAMMER_MAX):
            form = signup_form(slug, session_id, hidden, n, tag="hammer")
            forged = f"127.99.{n // 250}.{n % 250 + 1}"
            response = browser.post_form(path, form, **{"X-Forwarded-For": forged})
            statuses[str(response.status)] += 1
            if response.status == 429:
                first_429 = n + 1
                break
    except OSError as error:
        statuses[f"error {type(error).__name__}"] += 1
    finally:
        browser.close()
    seen = ", ".join(f"{v}x {k}" for k, v in sorted(statuses.items()))
    seen = f"first 429 at POST {first_429} ({seen})" if first_429 else f"never 429 ({seen})"
    keys = _limit_keys()
    return Line(
        "one address hammering the form (forged X-Forwarded-For)",
        f"429 within {HAMMER_MAX} POSTs; the counters in Redis, shared by both app servers",
        f"{seen}; {keys} counters in Redis",
        first_429 is not None and keys > 0,
    )


def _limit_keys() -> int:
    """Rate-limit counters the app servers keep in the drill's Redis database."""
    import redis

    storage = redis.Redis.from_url(os.environ["CHECKIN_RATELIMIT_STORAGE_URI"], socket_timeout=5)
    prefix = os.environ.get("CHECKIN_RATELIMIT_KEY_PREFIX", "")
    return sum(1 for _ in storage.scan_iter(match=f"*{prefix}*", count=1000))
