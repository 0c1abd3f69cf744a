"""Where messages go: an SMTP server, an HTTP SMS gateway, or files in ``instance/outbox/``.

A backend sends one message or raises; the caller records the error and retries later. Which
backend serves a channel is configuration (``NOTIFY_BACKEND_EMAIL``, ``NOTIFY_BACKEND_SMS``); a
test may put a backend object there instead of a name.
"""

from __future__ import annotations

import json
import logging
import secrets
import smtplib
import ssl
import urllib.request
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class DeliveryError(RuntimeError):
    """A send failed in a way worth retrying (the server or gateway said no, or was away)."""


class EmailBackend(Protocol):
    def send_email(self, message: EmailMessage) -> None: ...


class SmsBackend(Protocol):
    def send_sms(self, to: str, text: str) -> None: ...


class SmtpBackend:
    """One SMTP connection per message: simple, and a broken connection never outlives it."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.use_ssl = bool(config["MAIL_USE_SSL"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.timeout = float(config["NOTIFY_TIMEOUT_SECONDS"])

    def send_email(self, message: EmailMessage) -> None:
        with self._connect() as smtp:
            smtp.send_message(message)

    def check_connection(self) -> None:
        """Connect, encrypt and log in as a send would, then say goodbye: raises what a send
        would raise (``flask check``)."""
        with self._connect() as smtp:
            smtp.noop()

    def _connect(self) -> smtplib.SMTP:
        """A connection ready to send: TLS as configured, logged in when a user is set."""
        context = ssl.create_default_context()
        if self.use_ssl:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.use_tls and not self.use_ssl:
                smtp.starttls(context=context)
            if self.username:
                smtp.login(self.username, self.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def build_sms_payload(template: Mapping[str, Any] | str, **values: str) -> bytes:
    """The gateway's JSON body: ``template`` (a dict, or its JSON text) with ``{to}``,
    ``{text}`` and ``{sender}`` replaced inside its strings. Values are substituted into the
    parsed structure and the result serialised, so quotes or newlines in a text stay valid
    JSON."""
    if isinstance(template, str):
        template = json.loads(template)

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            for key, value in values.items():
                node = node.replace("{" + key + "}", value)
            return node
        if isinstance(node, Mapping):
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            return [fill(item) for item in node]
        return node

    return json.dumps(fill(template), ensure_ascii=False).encode("utf-8")


class HttpSmsBackend:
    """POSTs JSON to a generic SMS gateway with a bearer token; any non-2xx answer fails."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.url = config["SMS_GATEWAY_URL"]
        self.token = config["SMS_GATEWAY_TOKEN"]
        self.sender = config["SMS_SENDER"] or ""
        self.template = config["SMS_PAYLOAD_TEMPLATE"]
        self.timeout = float(config["NOTIFY_TIMEOUT_SECONDS"])
        if not self.url:
            raise DeliveryError("SMS_GATEWAY_URL is not set")

    def send_sms(self, to: str, text: str) -> None:
        body = build_sms_payload(self.template, to=to, text=text, sender=self.sender)
        request = urllib.request.Request(self.url, data=body, method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        # urlopen raises HTTPError for 4xx/5xx; a 2xx body is read so the connection closes.
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()


class FileBackend:
    """Writes each message to ``<folder>/<time>-<random>.eml`` (e-mail) or ``.txt`` (SMS) and
    logs it. The default: nothing leaves the machine."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, suffix: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        return self.folder / f"{stamp}-{secrets.token_hex(4)}{suffix}"

    def send_email(self, message: EmailMessage) -> None:
        path = self._path(".eml")
        path.write_bytes(message.as_bytes())
        log.info("E-mail to %s written to %s", message["To"], path)

    def send_sms(self, to: str, text: str) -> None:
        path = self._path(".txt")
        path.write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        log.info("SMS to %s written to %s", to, path)


def email_backend(config: Mapping[str, Any], instance_path: str) -> EmailBackend:
    choice: str | EmailBackend = config["NOTIFY_BACKEND_EMAIL"]
    if choice == "smtp":
        return SmtpBackend(config)
    if choice == "file":
        return FileBackend(Path(instance_path) / "outbox")
    if isinstance(choice, str):
        raise ValueError(f"NOTIFY_BACKEND_EMAIL must be 'smtp' or 'file', not {choice!r}")
    return choice


def sms_backend(config: Mapping[str, Any], instance_path: str) -> SmsBackend:
    choice: str | SmsBackend = config["NOTIFY_BACKEND_SMS"]
    if choice == "http":
        return HttpSmsBackend(config)
    if choice == "file":
        return FileBackend(Path(instance_path) / "outbox")
    if isinstance(choice, str):
        raise ValueError(f"NOTIFY_BACKEND_SMS must be 'http' or 'file', not {choice!r}")
    return choice
