"""The staff blueprint; the route modules beside this one register on it."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")
