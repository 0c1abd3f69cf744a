"""What nginx itself must do, asked over the wire: redirect to HTTPS, health, compressed and
immutable versioned static files cached at the proxy, and the 1 MB body limit."""

from __future__ import annotations

import http.client
import re

from client import Browser, Site, address
from work import Line

_STATIC = re.compile(r'(?:href|src)="(/static/[^"?]+\.(?:css|js)\?v=[0-9a-f]+)"')


def run(site: Site, state: dict) -> list[Line]:
    browser = Browser(site, address(9, 0), timeout=20)
    return [
        _redirect(site),
        _health(browser),
        _static(browser, state),
        _body_limit(browser, state),
    ]


def _redirect(site: Site) -> Line:
    conn = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    try:
        conn.request("GET", "/activities/x?y=1", headers={"Host": site.hostname})
        response = conn.getresponse()
        location = response.getheader("Location", "")
        seen = f"{response.status} -> {location}"
        holds = response.status == 301 and location.startswith(f"https://{site.hostname}/")
    except OSError as error:
        seen, holds = f"error: {error}", False
    finally:
        conn.close()
    return Line("nginx: http:// redirects to https://", "301 to https://", seen, holds)


def _health(browser: Browser) -> Line:
    try:
        response = browser.get("/healthz")
        seen = f"{response.status} {' '.join(response.text.split())[:40]}"
        holds = response.status == 200 and response.json() == {"status": "ok"}
    except (OSError, http.client.HTTPException, ValueError) as error:
        seen, holds = f"error: {error}", False
    return Line("nginx: /healthz through the proxy", '200 {"status":"ok"}', seen, holds)


def _static(browser: Browser, state: dict) -> Line:
    expected = "gzip, immutable for a year, 2nd fetch a proxy cache HIT"
    page = browser.get(f"/activities/{state['rush']['slug']}")
    match = _STATIC.search(page.text)
    if page.status != 200 or not match:
        return Line("nginx: versioned static file", expected, f"page {page.status}", False)
    url = match.group(1)
    first = browser.get(url, **{"Accept-Encoding": "gzip"})
    second = browser.get(url, **{"Accept-Encoding": "gzip"})
    cache_control = first.headers.get("cache-control", "")
    encoding = first.headers.get("content-encoding", "identity")
    hit = second.headers.get("x-cache-status", "-")
    seen = f"{url.split('?')[0]}: {encoding}, '{cache_control}', 2nd {hit}"
    holds = (
        first.status == 200
        and encoding == "gzip"
        and "immutable" in cache_control
        and "max-age=31536000" in cache_control
        and hit == "HIT"
    )
    return Line("nginx: versioned static file", expected, seen, holds)


def _body_limit(browser: Browser, state: dict) -> Line:
    body = b"name=" + b"x" * (1024 * 1024 + 1)
    try:
        response = browser.request(
            "POST",
            f"/activities/{state['rush']['slug']}",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        # nginx's own error page says so; the app's would not.
        by_nginx = "<center>nginx</center>" in response.text
        seen = f"{response.status} from {'nginx' if by_nginx else 'the app'}"
        holds = response.status == 413 and by_nginx
    except (OSError, http.client.HTTPException) as error:
        seen, holds = f"error: {error}", False
    finally:
        browser.close()
    return Line("nginx: a body over 1 MB", "413 from nginx", seen, holds)
