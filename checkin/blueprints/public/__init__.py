"""Pages for residents: calendar, activities, sign-up, manage booking, information pages."""

from checkin.blueprints.public.routes import bp

__all__ = ["bp"]
