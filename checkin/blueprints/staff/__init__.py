"""The staff back office: bookings, planning, people, dashboard, exports. Staff role or above."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from checkin.blueprints.staff import (  # noqa: E402,F401  (registers the routes)
    bookings,
    dashboard,
    exports,
    people,
    planning,
    report,
    users,
)

__all__ = ["bp"]
