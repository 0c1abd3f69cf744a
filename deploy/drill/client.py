"""The drill's HTTP client: one simulated phone or tablet per source address, over TLS to nginx.

Every client binds its socket to its own 127.0.0.x address (the whole 127.0.0.0/8 block is the
loopback interface on Linux), so nginx sees distinct residents, exactly as it would see
distinct phones. It connects to 127.0.0.1 but speaks to the site's host name (SNI, Host
header) and verifies nginx's certificate against the drill's self-signed one.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_HIDDEN = re.compile(r'name="(csrf_token|idempotency_key)"[^>]*value="([^"]+)"')


@dataclass
class Site:
    """Where nginx listens and how to trust it (from the drill's environment)."""

    hostname: str
    https_port: int
    http_port: int
    cafile: str

    @classmethod
    def from_env(cls) -> Site:
        return cls(
            hostname=os.environ["DRILL_HOSTNAME"],
            https_port=int(os.environ["DRILL_HTTPS_PORT"]),
            http_port=int(os.environ["DRILL_HTTP_PORT"]),
            cafile=os.environ["DRILL_CAFILE"],
        )

    @property
    def base_url(self) -> str:
        return f"https://{self.hostname}:{self.https_port}"

    def tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.cafile)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context


def address(block: int, n: int) -> str:
    """The n-th client address (0-based) of a block: block 1 -> 127.1.0.1, 127.1.0.2, ...
    Blocks keep the phases' clients apart (a limit hit in one phase never touches another)."""
    return f"127.{block}.{n // 250}.{n % 250 + 1}"


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class _TLSConnection(http.client.HTTPSConnection):
    """Connects to 127.0.0.1 from ``source_ip``, shows ``host`` in SNI and the Host header."""

    def __init__(self, site: Site, source_ip: str, timeout: float) -> None:
        super().__init__(
            site.hostname,
            site.https_port,
            timeout=timeout,
            context=site.tls_context(),
            source_address=(source_ip, 0),
        )

    def connect(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Browser:
    """One device: a source address, its cookies and one kept-alive connection to nginx."""

    site: Site
    source_ip: str
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)
    _conn: _TLSConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One request; raises OSError (or http.client's errors) when the connection fails.
        A kept-alive connection that the server closed meanwhile is reopened once."""
        all_headers = {"Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self._conn is not None
            if self._conn is None:
                self._conn = _TLSConnection(self.site, self.source_ip, self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=all_headers)
                raw = self._conn.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()
                # Only an idle kept-alive connection closed by nginx is retried here; any other
                # failure is the caller's to count.
                if reused and attempt == 1:
                    continue
                raise
            except (OSError, http.client.HTTPException):
                self.close()
                raise
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            if raw.will_close:
                self.close()
            return response
        raise AssertionError("unreachable")

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: dict[str, str], **headers: str) -> Response:
        """POST a form back to the page at ``path``, with the Referer a browser sends (Flask-WTF
        checks it on HTTPS)."""
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers.setdefault("Referer", f"{self.site.base_url}{path}")
        return self.request("POST", path, body=body, headers=headers)

    def post_json(self, path: str, payload: Any, token: str | None = None) -> Response:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", path, body=json.dumps(payload).encode(), headers=headers)


def hidden_fields(html: str) -> dict[str, str]:
    """The sign-up form's CSRF token and idempotency key."""
    return dict(_HIDDEN.findall(html))


def csrf_token(html: str) -> str | None:
    match = _CSRF.search(html)
    return match.group(1) if match else None


def wait_until(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.2) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())
