"""Languages beyond Danish and English: Arabic right-to-left, and gaps filled from Danish."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from checkin import ROOT

TRANSLATIONS = ROOT / "checkin" / "translations"
EXTRA_LANGUAGES = ["ar", "so", "uk", "tr"]
LAYOUT_STRINGS = [
    "Skip to content",
    "Nordby Activities",
    "Privacy",
    "Accessibility statement",
    "Staff login",
    "Activities in Randers Nordby",
]


def _catalog(locale: str):
    path: Path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _untranslated_in(locale: str) -> str:
    """A message the locale leaves to Danish (a simple one, no placeholders)."""
    catalog, danish = _catalog(locale), _catalog("da")
    for message in catalog:
        if (
            message.id
            and isinstance(message.id, str)
            and "%" not in message.id
            and not message.string
            and danish.get(message.id)
            and danish[message.id].string
        ):
            return message.id
    pytest.skip(f"every message is translated in {locale}")


def test_extra_languages_are_offered(app):
    assert app.config["LANGUAGES"][:2] == ["da", "en"]
    assert set(EXTRA_LANGUAGES) <= set(app.config["LANGUAGES"])


@pytest.mark.parametrize("locale", EXTRA_LANGUAGES)
def test_layout_is_translated(locale):
    catalog = _catalog(locale)
    for msgid in LAYOUT_STRINGS:
        assert catalog[msgid].string, (locale, msgid)


@pytest.mark.parametrize("locale", EXTRA_LANGUAGES)
def test_page_in_extra_language(client, locale):
    html = client.get(f"/?lang={locale}").get_data(as_text=True)
    direction = "rtl" if locale == "ar" else "ltr"
    assert f'<html lang="{locale}" dir="{direction}">' in html
    assert _catalog(locale)["Skip to content"].string in html


@pytest.mark.parametrize("locale", EXTRA_LANGUAGES)
def test_untranslated_strings_fall_back_to_danish_not_english(app, locale):
    from flask_babel import gettext, ngettext

    msgid = _untranslated_in(locale)
    with app.test_request_context(f"/?lang={locale}"):
        assert gettext(msgid) == _catalog("da")[msgid].string
        # Plural messages fall back with Danish plural rules.
        months = "Names and contact details are removed %(num)d month after the activity."
        months_plural = "Names and contact details are removed %(num)d months after the activity."
        if not _catalog(locale)[months].string[0]:
            assert ngettext(months, months_plural, 1) == _catalog("da")[months].string[0] % {
                "num": 1
            }


def test_english_keeps_the_english_source_text(app):
    from flask_babel import gettext

    msgid = _untranslated_in("so")
    with app.test_request_context("/?lang=en"):
        assert gettext(msgid) == msgid


def test_arabic_plural_uses_arabic_forms(client, app, frozen_clock):
    from checkin.extensions import db
    from tests.factories import make_activity, make_session

    make_session(make_activity(name="Trip"), capacity=5)
    db.session.commit()
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert "تبقّى 5 مقاعد" in html
