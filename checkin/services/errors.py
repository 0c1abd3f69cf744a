"""The one exception services raise for a broken rule."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request. ``code`` is stable (tests and the API use it); ``message`` is
    a lazily translated text for people; ``field`` names the form field at fault, if any."""

    def __init__(self, code: str, message=None, *, field: str | None = None, **details):
        super().__init__(code)
        self.code = code
        self.message = code if message is None else message  # stays lazy until shown
        self.field = field
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
