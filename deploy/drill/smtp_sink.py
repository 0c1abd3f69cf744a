"""The drill's mail server: accepts every message on 127.0.0.1 and keeps it as a file.

    python deploy/drill/smtp_sink.py PORT FOLDER

Each delivery becomes ``FOLDER/<n>.eml``, so the drill counts what the message workers really
sent (one file per SMTP transaction: a message sent twice is two files). Runs until SIGTERM.
"""

from __future__ import annotations

import itertools
import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class KeepEveryMessage:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            number = next(self.numbers)
        content = envelope.original_content or b""
        (self.folder / f"{number:06d}.eml").write_bytes(content)
        return "250 Message accepted"


def main() -> None:
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(KeepEveryMessage(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port}, writing to {folder}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
