"""The tickets blueprint; the route modules beside this one register on it."""

from flask import Blueprint

bp = Blueprint("tickets", __name__)
