"""Static URLs carry a content version (checkin/static_files.py): a changed file gets a new URL,
and a versioned response may be cached for a year; without a version, or with an old one, the
file is revalidated as before."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, url_for

from checkin.extensions import db
from tests.factories import PASSWORD, make_activity, make_session, make_user
from tests.web.helpers import login

REPO_STATIC = Path(__file__).resolve().parents[2] / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def static_dir(app: Flask, tmp_path) -> Path:
    """The app serves a static folder of the test's own, which the test may change."""
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    (folder / "js" / "desk").mkdir(parents=True)
    (folder / "css" / "app.css").write_text("body { color: black; }\n")
    (folder / "js" / "desk" / "desk.js").write_text('import {get} from "./api.js";\nget();\n')
    (folder / "js" / "desk" / "api.js").write_text("export function get() {}\n")
    app.static_folder = str(folder)
    return folder


def _get(client, url: str):
    """GET a file and close it (the app streams files; an unread one stays open)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _url(app: Flask, endpoint: str, filename: str) -> str:
    with app.test_request_context():
        return url_for(endpoint, filename=filename)


def test_static_url_changes_when_the_file_changes(app, client, static_dir):
    first = _url(app, "static", "css/app.css")
    version = hashlib.sha256((static_dir / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert first == f"/static/css/app.css?v={version}"
    assert _url(app, "static", "css/app.css") == first  # stable while the file is

    (static_dir / "css" / "app.css").write_text("body { color: navy; }\n")
    second = _url(app, "static", "css/app.css")
    assert second != first and second.startswith("/static/css/app.css?v=")
    assert _get(client, second).get_data(as_text=True) == "body { color: navy; }\n"


def test_versioned_file_is_cacheable_and_others_are_revalidated(client, app, static_dir):
    current = _get(client, _url(app, "static", "css/app.css"))
    assert current.status_code == 200
    assert current.headers["Cache-Control"] == IMMUTABLE

    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = _get(client, url)  # unversioned, or a version the file no longer has
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["ETag"]


def test_module_url_versions_the_whole_folder(client, app, static_dir):
    entry = _url(app, "static_module", "js/desk/desk.js")
    match = re.fullmatch(r"/static/modules/([0-9a-f]{12})/js/desk/desk\.js", entry)
    assert match, entry
    # The module's relative import resolves inside the same versioned folder.
    imported = _get(client, entry.replace("desk.js", "api.js"))
    assert imported.get_data(as_text=True) == "export function get() {}\n"
    assert imported.headers["Cache-Control"] == IMMUTABLE
    assert _get(client, entry).headers["Cache-Control"] == IMMUTABLE

    (static_dir / "js" / "desk" / "api.js").write_text("export function get() { return 1; }\n")
    changed = _url(app, "static_module", "js/desk/desk.js")
    assert changed != entry  # desk.js did not change, but its module graph did
    stale = _get(client, entry.replace("desk.js", "api.js"))
    assert stale.get_data(as_text=True) == "export function get() { return 1; }\n"
    assert stale.headers["Cache-Control"] == "no-cache"
    assert _get(client, "/static/modules/0/js/desk/missing.js").status_code == 404


def test_pages_load_versioned_assets(client, frozen_clock):
    session = make_session(make_activity(name="Lektiecafé"), starts_in=timedelta(hours=1))
    volunteer = make_user("volunteer")
    db.session.commit()
    login(client, volunteer.email, PASSWORD)
    html = client.get(f"/desk/sessions/{session.id}").get_data(as_text=True)

    css = hashlib.sha256((REPO_STATIC / "css" / "app.css").read_bytes()).hexdigest()[:12]
    assert f'href="/static/css/app.css?v={css}"' in html
    assert re.search(r'data-jsqr-url="/static/vendor/jsQR/jsQR\.min\.js\?v=[0-9a-f]{12}"', html)
    module = re.search(r'<script type="module" src="([^"]+)"', html)
    assert module and re.fullmatch(r"/static/modules/[0-9a-f]{12}/js/desk/desk\.js", module[1])
    assert _get(client, module[1]).headers["Cache-Control"] == IMMUTABLE
