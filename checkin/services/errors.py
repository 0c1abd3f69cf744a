"""The one exception services raise for a broken rule."""

from __future__ import annotations

from typing import TypeAlias

from flask_babel import LazyString

# A text for people: plain, or a Flask-Babel lazy string that is translated when it is shown
# (in the language of the request or message it ends up in, not of the moment it was made).
Message: TypeAlias = str | LazyString


class DomainError(Exception):
    """A rule refused the request. ``code`` is stable (tests and the API use it); ``message`` is
    a lazily translated text for people; ``field`` names the form field at fault, if any."""

    def __init__(
        self,
        code: str,
        message: Message | None = None,
        *,
        field: str | None = None,
        **details: object,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message: Message = code if message is None else message  # stays lazy until shown
        self.field = field
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
