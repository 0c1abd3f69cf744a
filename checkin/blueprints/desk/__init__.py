"""The volunteer's check-in desk: the tablet pages and the JSON API under /api/v1.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

# The route modules register their routes on the blueprint when they are imported.
from checkin.blueprints.desk import api_routes, pages  # noqa: F401
from checkin.blueprints.desk.blueprint import api, bp

__all__ = ["api", "bp"]
