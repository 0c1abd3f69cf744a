"""The drill's Python side, one phase per call from deploy/drill.sh:

    run.py seed | check | edge | rush | outbox | desk | ready NAME PORT | pgkill | backup | final
    run.py wait PORT... | fail PHASE MESSAGE | table

Each phase appends its lines to the table (``work.Line``); a phase that crashes records a
failing line and the next phase still runs. ``table`` prints the table and exits 1 when any
line does not hold.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from client import Site
from work import Line, Work, alive


def seed(work: Work) -> list[Line]:
    from seed import seed as make_scenario

    started = time.monotonic()
    state = make_scenario()
    work.save_state(state)
    pools = {k: len(v) for k, v in state["desk"]["pools"].items()}
    print(f"  seeded in {time.monotonic() - started:.1f} s: tickets {pools}", flush=True)
    return []


def check(work: Work) -> list[Line]:
    """``flask check`` as a deploy script runs it: on the drill's configuration (must pass), and
    on a deliberately incomplete production one (must fail, naming what is missing)."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "check"]
    root = Path(__file__).resolve().parent.parent.parent
    ours = subprocess.run(flask, cwd=root, capture_output=True, text=True, timeout=60)
    incomplete = {
        **{k: v for k, v in os.environ.items() if k != "CHECKIN_SECRET_KEY"},
        "CHECKIN_PUBLIC_BASE_URL": "http://checkin.example.dk",
        "CHECKIN_TRUSTED_PROXY_HOPS": "0",
        "CHECKIN_RATELIMIT_STORAGE_URI": "memory://",
        "CHECKIN_NOTIFY_BACKEND_EMAIL": "file",
    }
    theirs = subprocess.run(
        flask, cwd=root, env=incomplete, capture_output=True, text=True, timeout=60
    )
    for title, run in (("this drill's", ours), ("an incomplete production", theirs)):
        print(f"  flask check on {title} configuration (exit {run.returncode}):")
        print("    " + (run.stdout + run.stderr).strip().replace("\n", "\n    "), flush=True)
    fails = [ln.split()[1] for ln in theirs.stdout.splitlines() if ln.startswith("FAIL")]
    return [
        Line(
            "flask check on the drill's configuration",
            "exit 0, no FAIL",
            f"exit {ours.returncode}; {(ours.stdout.strip().splitlines() or ['-'])[-1]}",
            ours.returncode == 0,
        ),
        Line(
            "flask check without SECRET_KEY, with an http:// base URL",
            "exit 1, FAIL for SECRET_KEY and PUBLIC_BASE_URL",
            f"exit {theirs.returncode}; FAIL for {', '.join(fails) or 'nothing'}",
            theirs.returncode == 1 and {"SECRET_KEY", "PUBLIC_BASE_URL"} <= set(fails),
        ),
    ]


def edge(work: Work) -> list[Line]:
    import edge as phase

    return phase.run(Site.from_env(), work.state)


def rush(work: Work) -> list[Line]:
    import rush as phase

    return phase.run(Site.from_env(), work.state, work)


def outbox(work: Work) -> list[Line]:
    import outbox as phase

    return phase.drained(work, phase="rush", expect_at_least=work.state["rush"]["capacity"])


def desk(work: Work) -> list[Line]:
    import desk as phase

    return phase.burst(Site.from_env(), work.state, work)


def pgkill(work: Work) -> list[Line]:
    import desk as phase

    return phase.db_kill(Site.from_env(), work.state, work)


def backup(work: Work) -> list[Line]:
    import backup as phase

    return phase.run(Site.from_env(), work.state, work)


def ready(work: Work, name: str, port: str, timeout: float = 60) -> list[Line]:
    """Wait until the app server on ``port`` answers /healthz; one line for a restart."""
    started = time.monotonic()
    status, body = 0, ""
    while time.monotonic() - started < timeout:
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
        try:
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            status, body = response.status, response.read().decode(errors="replace")
            if status < 500:
                break
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.3)
    seconds = time.monotonic() - started
    healthy = status == 200 and _json(body) == {"status": "ok"}
    return [
        Line(
            f"app {name.upper()} restarted after the kill -9",
            "/healthz 200 within 60 s",
            f"{status or 'no answer'} after {seconds:.1f} s",
            healthy,
        )
    ]


def final(work: Work) -> list[Line]:
    import outbox as phase

    lines = phase.drained(work, phase="whole drill", expect_at_least=1)[1:]
    lines.append(_secrets_not_logged(work))
    lines.append(_spread(work))
    names = ["nginx", "app-a", "app-b", "worker-1", "worker-2", "smtp"]
    down = [name for name in names if not alive(work.pid(name))]
    lines.append(
        Line(
            "every process still running at the end",
            ", ".join(names),
            f"down: {', '.join(down)}" if down else "all up",
            not down,
        )
    )
    return lines


def _secrets_not_logged(work: Work) -> Line:
    tokens = set(work.all_acks().get("rush", {}).get("confirmed_tokens", []))
    logs = [p for p in work.logs.glob("*access*.log") if p.is_file()]
    text = "\n".join(p.read_text(errors="replace") for p in logs)
    leaked = sum(1 for token in tokens if token in text)
    redacted = text.count("/b/<redacted>")
    return Line(
        "manage links (secret) kept out of the access logs",
        f"0 of {len(tokens)} in {len(logs)} logs, /b/<redacted> logged instead",
        f"{leaked} found, /b/<redacted> {redacted} times",
        bool(tokens) and leaked == 0 and redacted > 0,
    )


def wait(_work: Work, *ports: str) -> list[Line]:
    """Wait (60 s at most) until something answers HTTP on each of ``ports`` (127.0.0.1)."""
    deadline = time.monotonic() + 60
    for port in ports:
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
            try:
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nothing answers on 127.0.0.1:{port}") from error
                time.sleep(0.3)
            finally:
                conn.close()
    return []


def fail(_work: Work, phase: str, message: str) -> list[Line]:
    """A phase that drill.sh had to stop (time limit) or that could not run."""
    return [Line(phase, "runs to the end", message, False)]


def _spread(work: Work) -> Line:
    """How nginx shared the requests between the app servers (its access log)."""
    servers: Counter[str] = Counter()
    log = work.logs / "nginx-access.log"
    for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
        _, found, rest = line.partition(" upstream=")
        if found and rest[:1].isdigit():
            servers[rest.split(",")[0].split()[0]] += 1
    total = sum(servers.values())
    shares = {server: n / total for server, n in servers.items()} if total else {}
    return Line(
        "nginx spreads the requests over both app servers",
        "2 app servers, each at least 25%",
        ", ".join(f"{server} {share:.0%}" for server, share in sorted(shares.items()))
        + f" of {total}",
        len(shares) == 2 and min(shares.values()) >= 0.25,
    )


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def table(work: Work) -> int:
    lines = work.lines()
    headers = ("phase", "expected", "seen", "holds")
    rows = [(ln.phase, ln.expected, ln.seen, "yes" if ln.holds else "NO") for ln in lines]
    print()
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        print("| " + " | ".join(" ".join(cell.replace("|", "/").split()) for cell in row) + " |")
    failing = sum(1 for ln in lines if not ln.holds)
    print(f"\n{len(lines) - failing} of {len(lines)} lines hold.")
    # drill.sh prints this as its very last line, in the form CI reads as a test summary.
    (work.root / "summary").write_text(f"drill: {len(lines) - failing} passed, {failing} failed\n")
    return 1 if failing or not lines else 0


PHASES: dict[str, Callable[..., list[Line]]] = {
    "seed": seed,
    "check": check,
    "edge": edge,
    "rush": rush,
    "outbox": outbox,
    "desk": desk,
    "ready": ready,
    "pgkill": pgkill,
    "backup": backup,
    "final": final,
    "wait": wait,
    "fail": fail,
}


def main(argv: list[str]) -> int:
    work = Work()
    name, args = argv[0], argv[1:]
    if name == "table":
        return table(work)
    try:
        lines = PHASES[name](work, *args)
    except Exception as error:  # noqa: BLE001 - a crashed phase is a failing line, not the end
        traceback.print_exc()
        lines = [Line(f"{name}: phase crashed", "runs", f"{type(error).__name__}: {error}", False)]
        if name in ("seed", "wait"):
            work.record(*lines)
            return 1
    work.record(*lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
