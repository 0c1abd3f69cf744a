"""The volunteer's check-in desk: the tablet pages and the JSON API under /api/v1.

The blueprint is declared in ``blueprint``; each module below registers its routes on it."""

from checkin.blueprints.desk import api_routes, pages
from checkin.blueprints.desk.blueprint import api, bp

# Imported for their routes, which register on ``bp`` when the module loads.
ROUTE_MODULES = (
    api_routes,
    pages,
)

__all__ = ["api", "bp"]
