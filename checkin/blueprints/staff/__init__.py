"""The staff back office: bookings, planning, people, dashboard, exports. Staff role or above.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

# The route modules register their routes on the blueprint when they are imported.
from checkin.blueprints.staff import (  # noqa: F401
    assisted,
    bookings,
    dashboard,
    exports,
    nav,
    people,
    planning,
    planning_sessions,
    report,
    users,
)
from checkin.blueprints.staff.blueprint import bp

__all__ = ["bp"]
