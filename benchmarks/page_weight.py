"""Page weight on first load: the bytes a phone downloads for the calendar (and other pages).

Starts the app on 127.0.0.1 with a throwaway SQLite database holding the demo data, opens each
page in a fresh Chromium context (empty cache) on a phone viewport, and adds up what the
DevTools protocol reports as transferred (headers and body, ``encodedDataLength``) for HTML,
CSS, JavaScript and fonts. The budget for resident pages is 60 KB (61,440 bytes).

    .venv/bin/python benchmarks/page_weight.py                      # the calendar
    .venv/bin/python benchmarks/page_weight.py /activities/{slug}  # plus an activity page

``{slug}`` is replaced with the activity of the first session on the calendar. The figures are
raw (the development server does not compress); a reverse proxy with gzip sends less. This
script reports, it never fails on the figures: it exits non-zero only when it cannot run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUDGET_BYTES = 60 * 1024
# DevTools resource types that count toward the budget, and how the table names them.
COUNTED = {"Document": "HTML", "Stylesheet": "CSS", "Script": "JS", "Font": "font"}


@dataclass
class Measurement:
    path: str
    status: int | None = None
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, url path, bytes)

    def total(self, *, counted: bool = True) -> int:
        return sum(size for kind, _url, size in self.rows if (kind in COUNTED.values()) == counted)


def compile_catalogs() -> None:
    """The .mo files are build products (git-ignored); pages are measured in their real language."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "checkin" / "translations").glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with po_path.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


def seed(app) -> str:
    """The demo data when the demo module is there, else a few sessions. Returns the slug of
    the activity of the first session on the calendar."""
    from checkin.extensions import db
    from checkin.services import clock
    from checkin.services.planning import list_upcoming_sessions

    with app.app_context():
        try:
            from checkin.demo import load_demo
        except ImportError:
            _seed_minimal(clock.now())
        else:
            print(load_demo(at=clock.now()), file=sys.stderr)
        db.session.commit()
        sessions = list_upcoming_sessions(at=clock.now())
        return sessions[0].activity.slug if sessions else "none"


def _seed_minimal(now) -> None:
    from checkin.services.planning import (
        create_activity,
        create_area,
        create_project,
        create_session,
    )

    project = create_project("Børn og unge", at=now)
    area = create_area("Vangdalen", departments=["Vangdalen"])
    specs = [
        ("Lektiecafé", "children", 20, True),
        ("Pigefodbold", "youth", 16, True),
        ("Fællesspisning", "everyone", None, False),
        ("Jobcafé", "adults", None, False),
    ]
    for n, (name, group, capacity, signup) in enumerate(specs):
        activity = create_activity(
            project,
            name,
            at=now,
            target_group=group,
            area=area,
            place="Nordbyhuset",
            default_capacity=capacity,
            signup_required=signup,
        )
        for week in range(4):
            starts = now + timedelta(days=1 + n + 7 * week)
            create_session(activity, starts_at=starts, ends_at=starts + timedelta(hours=2))


def start_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def measure(browser, base_url: str, path: str) -> Measurement:
    """Load ``path`` once in a fresh phone context and record every finished response."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    responses: dict[str, tuple[str, str]] = {}
    finished: dict[str, int] = {}
    cdp.on(
        "Network.responseReceived",
        lambda e: responses.__setitem__(e["requestId"], (e["type"], e["response"]["url"])),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: finished.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    result = Measurement(path)
    response = page.goto(base_url + path, wait_until="load")
    result.status = response.status if response else None
    page.wait_for_load_state("networkidle")
    context.close()
    for request_id, size in finished.items():
        kind, url = responses.get(request_id, ("Other", "?"))
        result.rows.append((COUNTED.get(kind, kind.lower()), urlsplit(url).path or url, size))
    return result


def report(measurements: list[Measurement]) -> None:
    for m in measurements:
        print(f"\n{m.path}  (HTTP {m.status})")
        print(f"  {'kind':<10}{'bytes':>9}  resource")
        order = list(COUNTED.values())
        for kind, url, size in sorted(
            m.rows, key=lambda r: order.index(r[0]) if r[0] in order else 9
        ):
            print(f"  {kind:<10}{size:>9,}  {url}")
        by_kind: dict[str, int] = defaultdict(int)
        for kind, _url, size in m.rows:
            by_kind[kind] += size
        total = m.total()
        verdict = "within" if total <= BUDGET_BYTES else "OVER"
        print(
            f"  counted (HTML, CSS, JS, fonts): {total:,} bytes = {total / 1024:.1f} KB, "
            f"{verdict} the {BUDGET_BYTES // 1024} KB budget"
        )
        other = m.total(counted=False)
        if other:
            print(f"  not counted (images, favicon, other): {other:,} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="more paths to measure, e.g. /activities/{slug}")
    args = parser.parse_args(argv)

    try:
        from flask_migrate import upgrade
        from playwright.sync_api import sync_playwright

        from checkin import create_app
    except ImportError as error:
        print(f"cannot run: {error} (run `make install-test`)", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"cannot run: {CHROMIUM} is missing (run `make install-test`)", file=sys.stderr)
        return 2

    compile_catalogs()
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        app = create_app(
            {
                "ENVIRONMENT": "development",  # plain HTTP on 127.0.0.1: no secure cookies
                "SECRET_KEY": "page-weight-benchmark",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/checkin.sqlite",
                "INSTANCE_PATH": f"{tmp}/instance",
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
        slug = seed(app)
        paths = ["/", *(path.replace("{slug}", slug) for path in args.paths)]
        server, thread = start_server(app)
        base_url = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    measurements = [measure(browser, base_url, path) for path in paths]
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            with app.app_context():
                from checkin.extensions import db

                for engine in db.engines.values():
                    engine.dispose()
    report(measurements)
    failed = [m.path for m in measurements if m.status is None or m.status >= 400]
    if failed:
        print(f"\ncould not load: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
