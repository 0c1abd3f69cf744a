"""Language and time zone: Danish by default, chosen by the user, right-to-left where needed."""

from __future__ import annotations

from urllib.parse import urlsplit

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, has_request_context, request
from flask_babel import Domain, get_babel, get_locale

from checkin.extensions import babel

LANGUAGE_COOKIE = "lang"
# The language of the msgids in the code. Its catalog needs no fallback: a missing string is
# already in the right language.
SOURCE_LANGUAGE = "en"


class FallbackDomain(Domain):
    """Translations whose gaps are filled from the default language (Danish), not from the
    English source text: a resident reading Somali is likelier to read Danish than English.

    New strings therefore never need copying into the Arabic, Somali, Ukrainian or Turkish
    catalogs; gettext's own fallback chain asks the Danish catalog for whatever is missing.
    Loaded catalogs are cached per (locale, fallback), chain included."""

    def get_translations(self) -> NullTranslations:
        locale = get_locale()
        if locale is None:  # outside an app context
            return NullTranslations()
        fallback = get_babel().default_locale
        key = (str(locale), self.domain[0], fallback)
        translations = self.cache.get(key)
        if translations is None:
            # Built completely before it is cached, so no thread sees a chain half made.
            translations = self._load(key[0])
            if key[0] not in (fallback, SOURCE_LANGUAGE):
                _drop_untranslated_plurals(translations)
                translations.add_fallback(self._load(fallback))
            self.cache[key] = translations
        return translations

    def _load(self, locale: str) -> Translations:
        translations = Translations()
        for dirname in self.translation_directories:
            catalog = Translations.load(dirname, [locale], self.domain[0])
            if isinstance(catalog, Translations):  # not a NullTranslations: the file exists
                translations.merge(catalog)
                translations.plural = catalog.plural  # merge() does not copy the plural rule
        return translations


def _drop_untranslated_plurals(translations: Translations) -> None:
    """Babel's .mo writer stores an untranslated plural message with the English msgids as its
    forms; left in, they would hide the Danish fallback. Such a message's first form is its
    English singular, which a translated one practically never is."""
    catalog = translations._catalog  # gettext keeps plural forms under (msgid, index)
    untranslated = {
        key[0]
        for key, text in catalog.items()
        if isinstance(key, tuple) and key[1] == 0 and text == key[0]
    }
    for key in [k for k in catalog if isinstance(k, tuple) and k[0] in untranslated]:
        del catalog[key]


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
        (code, (Locale.parse(code).get_display_name(code) or code).capitalize())
        for code in supported_locales()
    ]


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only local paths may be redirected to (no open redirect through ``next``). Browsers read
    a backslash as a slash and drop tabs and line breaks, so "/\\evil.example" would leave the
    site: such targets fall back too."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)
    ):
        return fallback
    return target


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    # The Babel extension object is shared by every app; each new app starts a fresh catalog
    # cache, so it reads the catalogs as they are when it is created.
    babel.domain_instance = FallbackDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))

    @app.context_processor
    def inject_language() -> dict[str, object]:
        code = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "current_locale": code,
            "text_direction": text_direction(code),
            "language_choices": language_choices(),
        }
