"""Behind a reverse proxy: trust its X-Forwarded-* headers, and only as many hops as configured.

With ``TRUSTED_PROXY_HOPS = n > 0`` Werkzeug's ProxyFix takes the client address, scheme,
host, port and path prefix from the last ``n`` values of the X-Forwarded-* headers, so rate
limits key on the resident's address and ``url_for(_external=True)`` builds the https:// links
the proxy serves. With 0 (the default, for a server reached directly) the headers are ignored:
a client could write them itself, e.g. to escape its rate limit.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if isinstance(hops, int) and hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
