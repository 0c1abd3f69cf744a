"""Logins for staff and volunteers, and the role check every staff route uses."""

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.auth.routes import bp, init_login

__all__ = ["bp", "init_login", "role_required"]
