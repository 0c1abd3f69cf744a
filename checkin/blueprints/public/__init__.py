"""Pages for residents: calendar, activities, sign-up, manage booking, information pages.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

# The route modules register their routes on the blueprint when they are imported.
from checkin.blueprints.public import calendar, manage, routes, signup  # noqa: F401
from checkin.blueprints.public.blueprint import bp

__all__ = ["bp"]
