"""The staff back office: bookings, planning, people, dashboard, exports. Staff role or above.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

from checkin.blueprints.staff import (
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

# Imported for their routes, which register on ``bp`` when the module loads.
ROUTE_MODULES = (
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

__all__ = ["bp"]
