"""The catalogs: the template lists every string in the code, Danish translates them all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from checkin import ROOT

TRANSLATIONS = ROOT / "checkin" / "translations"


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


def test_template_is_up_to_date_with_the_sources(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ngettext:1,2",
            "-k",
            "lazy_ngettext:1,2",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = _ids(_read(TRANSLATIONS / "messages.pot"))
    assert _ids(_read(fresh)) == committed, "run `make extract` and translate the new strings"


@pytest.mark.parametrize("locale", ["da"])
def test_catalog_is_complete(locale):
    template = _ids(_read(TRANSLATIONS / "messages.pot"))
    catalog = _read(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert untranslated == []
    assert template <= _ids(catalog), "run `make extract` to update the catalogs"


def test_placeholders_survive_translation():
    catalog = _read(TRANSLATIONS / "da" / "LC_MESSAGES" / "messages.po", "da")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for original, translated in zip(ids, strings, strict=False):
            for token in ("%(num)d", "%(n)d", "%(name)s", "%(org)s", "%(status)d"):
                assert (token in original) == (token in translated), (original, translated)
