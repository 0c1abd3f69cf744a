"""The public blueprint; the route modules beside this one register on it."""

from flask import Blueprint

bp = Blueprint("public", __name__)
