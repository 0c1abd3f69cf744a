"""HTTP headers that make the browser enforce what the code already promises: every asset is
ours (no CDN, no inline script), pages are not framed, content types are not guessed, personal
data is never kept in a cache, and production is only ever reached over HTTPS."""

from __future__ import annotations

from flask import Flask, Response, request

from checkin.config import is_production

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",  # QR images, the empty favicon, camera frames
        "media-src 'self' blob:",  # the desk's camera stream
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


# Every page of these shows personal data or carries a secret (a ticket code, a desk session):
# neither the browser's cache nor any proxy keeps it, and "back" after logging out on a shared
# computer shows nothing. The resident's manage pages (/b/<token>...) belong to the public
# blueprint, beside pages that may be cached, so they are named by path. The ticket page works
# offline through its service worker, which keeps its copy in the Cache Storage (which no-store
# does not govern, as the desk's pages show), so tickets need no weaker rule.
PRIVATE_BLUEPRINTS = frozenset({"staff", "desk", "api", "tickets"})
PRIVATE_PATH_PREFIXES = ("/b/",)
NO_STORE = "private, no-store"


def shows_personal_data() -> bool:
    return request.blueprint in PRIVATE_BLUEPRINTS or request.path.startswith(PRIVATE_PATH_PREFIXES)


def init_app(app: Flask) -> None:
    hsts = app.config["STRICT_TRANSPORT_SECURITY"] if is_production(app) else ""

    @app.after_request
    def cache_policy(response: Response) -> Response:
        # A view that set its own policy knows better: QR images are immutable, service
        # workers revalidate, exports are no-store already.
        if "Cache-Control" not in response.headers and shows_personal_data():
            response.headers["Cache-Control"] = NO_STORE
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=()"
        )
        return response
