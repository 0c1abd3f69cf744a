"""The drill's working folder (``DRILL_WORK``): the scenario, what each phase saw, the table.

drill.sh starts the processes and writes their pid files under ``run/``; each Python phase
reads the scenario from ``state.json``, appends its table lines to ``results.jsonl`` and keeps
what later phases check (confirmed bookings, acknowledged check-ins) under ``acks/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Line:
    """One row of the drill's table."""

    phase: str
    expected: str
    seen: str
    holds: bool


class Work:
    def __init__(self, folder: str | None = None) -> None:
        self.root = Path(folder or os.environ["DRILL_WORK"])

    # -- the scenario and the table --
    @property
    def state(self) -> dict[str, Any]:
        return json.loads((self.root / "state.json").read_text())

    def save_state(self, state: dict[str, Any]) -> None:
        (self.root / "state.json").write_text(json.dumps(state, indent=1))

    def record(self, *lines: Line) -> None:
        with (self.root / "results.jsonl").open("a") as results:
            for line in lines:
                results.write(json.dumps(asdict(line)) + "\n")
                mark = "yes" if line.holds else "NO"
                print(f"  [{mark}] {line.phase}: {line.seen}", flush=True)

    def lines(self) -> list[Line]:
        path = self.root / "results.jsonl"
        if not path.exists():
            return []
        return [Line(**json.loads(row)) for row in path.read_text().splitlines() if row]

    # -- what phases acknowledged to their clients, checked again after the restore --
    def save_acks(self, phase: str, acks: dict[str, Any]) -> None:
        folder = self.root / "acks"
        folder.mkdir(exist_ok=True)
        (folder / f"{phase}.json").write_text(json.dumps(acks))

    def all_acks(self) -> dict[str, dict[str, Any]]:
        folder = self.root / "acks"
        if not folder.is_dir():
            return {}
        return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}

    def save_samples(self, phase: str, samples: dict[str, str]) -> None:
        """Unexpected answers, one file per kind, to read when a line fails."""
        folder = self.root / "samples"
        folder.mkdir(exist_ok=True)
        for kind, text in samples.items():
            (folder / f"{phase}-{'-'.join(kind.split())}.html").write_text(text)

    # -- processes started by drill.sh --
    def pid(self, name: str) -> int | None:
        path = self.root / "run" / f"{name}.pid"
        try:
            return int(path.read_text().strip())
        except (OSError, ValueError):
            return None

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def mail(self) -> Path:
        return self.root / "mail"


def children(pid: int) -> set[int]:
    """The direct children of ``pid`` (Linux /proc): a gunicorn master's workers."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed child that its parent has not reaped yet is a zombie: not alive.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
