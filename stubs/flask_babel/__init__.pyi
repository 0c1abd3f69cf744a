# The parts of Flask-Babel 4 this app uses; the package ships no type hints.
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime, time, tzinfo
from typing import Any

from babel import Locale
from babel.support import NullTranslations
from flask import Flask
from flask_babel.speaklater import LazyString as LazyString

class BabelConfiguration:
    default_locale: str
    default_timezone: str
    default_domain: str
    default_directories: list[str]
    translation_directories: list[str]
    instance: Babel
    locale_selector: Callable[[], str | None] | None
    timezone_selector: Callable[[], str | None] | None

def get_babel(app: Flask | None = None) -> BabelConfiguration: ...

class Domain:
    domain: list[str]
    cache: dict[tuple[str, ...], NullTranslations]
    def __init__(
        self, translation_directories: str | list[str] | None = None, domain: str = "messages"
    ) -> None: ...
    @property
    def translation_directories(self) -> list[str]: ...
    def get_translations(self) -> NullTranslations: ...

class Babel:
    domain_instance: Domain
    def __init__(self, app: Flask | None = None, *args: Any, **kwargs: Any) -> None: ...
    def init_app(
        self,
        app: Flask,
        default_locale: str = "en",
        default_domain: str = "messages",
        default_translation_directories: str = "translations",
        default_timezone: str = "UTC",
        locale_selector: Callable[[], str | None] | None = None,
        timezone_selector: Callable[[], str | None] | None = None,
    ) -> None: ...
    @property
    def default_locale(self) -> Locale: ...
    @property
    def domain(self) -> str: ...

def get_locale() -> Locale | None: ...
def get_timezone() -> tzinfo | None: ...
def refresh() -> None: ...
def force_locale(locale: str | Locale) -> AbstractContextManager[None]: ...
def format_datetime(
    datetime: datetime | None = None, format: str | None = None, rebase: bool = True
) -> str: ...
def format_date(
    date: date | datetime | None = None, format: str | None = None, rebase: bool = True
) -> str: ...
def format_time(
    time: time | datetime | None = None, format: str | None = None, rebase: bool = True
) -> str: ...
def gettext(string: str, **variables: Any) -> str: ...
def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str: ...
def lazy_gettext(string: str, **variables: Any) -> LazyString: ...
def lazy_ngettext(singular: str, plural: str, num: int, **variables: Any) -> LazyString: ...
