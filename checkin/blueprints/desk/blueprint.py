"""The desk blueprints; the route modules beside this one register on them."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")
api = Blueprint("api", __name__, url_prefix="/api/v1")
