"""Pages for residents: calendar, activities, sign-up, manage booking, information pages.

One blueprint; its routes live in modules by concern, imported here to register them."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from checkin.blueprints.public import calendar, manage, routes, signup  # noqa: E402,F401  (registers the routes)

__all__ = ["bp"]
