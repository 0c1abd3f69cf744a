"""Pages for residents: calendar, activities, sign-up, manage booking, information pages.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

from checkin.blueprints.public import calendar, manage, routes, signup
from checkin.blueprints.public.blueprint import bp

# Imported for their routes, which register on ``bp`` when the module loads.
ROUTE_MODULES = (
    calendar,
    manage,
    routes,
    signup,
)

__all__ = ["bp"]
