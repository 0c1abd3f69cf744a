"""Entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

from checkin import create_app

app = create_app()
