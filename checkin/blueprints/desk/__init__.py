"""The volunteer's check-in desk: the tablet pages and the JSON API under /api/v1."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")
api = Blueprint("api", __name__, url_prefix="/api/v1")

from checkin.blueprints.desk import api_routes, pages  # noqa: E402,F401  (registers the routes)

__all__ = ["api", "bp"]
