"""Language and time zone: Danish by default, chosen by the user, right-to-left where needed."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel import Locale
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

from checkin.extensions import babel

LANGUAGE_COOKIE = "lang"


def supported_locales() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """An explicit ``?lang=`` wins, then the language cookie, then the browser's wishes.
    Outside a request (CLI, services in tests) the default language applies."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    supported = supported_locales()
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in supported:
            return candidate
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def text_direction(locale_code: str) -> str:
    return "rtl" if locale_code in current_app.config["RTL_LANGUAGES"] else "ltr"


def language_choices() -> list[tuple[str, str]]:
    """(code, name of the language in that language), for the switcher."""
    return [
        (code, Locale.parse(code).get_display_name(code).capitalize())
        for code in supported_locales()
    ]


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only local paths may be redirected to (no open redirect through ``next``)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )

    @app.context_processor
    def inject_language() -> dict[str, object]:
        code = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "current_locale": code,
            "text_direction": text_direction(code),
            "language_choices": language_choices(),
        }
