"""Versioned static URLs, so a browser runs the JavaScript and CSS of the page it just loaded.

Every ``url_for("static", filename=...)`` gets ``?v=<first 12 hex digits of the file's
SHA-256>``. A response whose ``v`` is the file's current version is cacheable for a year
(immutable): new content means a new URL. Without ``v``, or with an old one, the file is
served as before (``no-cache``: revalidated by ETag on every use).

ES modules need one more step: they import each other by relative URLs ("./api.js"), which
cannot carry a query string. So a module graph is loaded through
``url_for("static_module", filename="js/desk/desk.js")``, which puts the version in the path:
``/static/modules/<version>/js/desk/desk.js``. The version covers every file in the module's
folder (its name and content), and the relative imports resolve inside the same versioned
folder, so a page loads one consistent set of modules and a change to any of them gives the
whole set new URLs. Modules import only from their own folder (ESLint enforces it).

The service workers cache by full URL: the pages ask them to keep the versioned URLs, and a
kept version replaces the older versions of the same file (static/js/sw-cache.js).

Versions are computed once per file and kept while the file's size and modification time stay
the same, so a file changed in place (development) gets a new version at once.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from pathlib import Path
from typing import Any

from flask import Flask, Response, request, send_from_directory
from werkzeug.security import safe_join

VERSION_ARG = "v"
VERSION_LENGTH = 12  # hex digits: 48 bits, plenty to tell a file's versions apart
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class StaticVersions:
    """Content versions of the files in one app's static folder."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._files: dict[str, tuple[int, int, str]] = {}  # path -> (mtime_ns, size, version)

    def _path(self, filename: str) -> str | None:
        folder = self.app.static_folder
        return safe_join(folder, filename) if folder else None

    def _version_of(self, path: str) -> str | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        cached = self._files.get(path)
        if cached and cached[:2] == (stat.st_mtime_ns, stat.st_size):
            return cached[2]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:VERSION_LENGTH]
        self._files[path] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest

    def file_version(self, filename: str) -> str | None:
        """The version of one static file, or None when there is no such file."""
        path = self._path(filename)
        return self._version_of(path) if path and os.path.isfile(path) else None

    def folder_version(self, folder: str) -> str | None:
        """One version for every file under ``folder`` (a module graph), or None if empty."""
        root = self._path(folder)
        if not root or not os.path.isdir(root):
            return None
        parts = []
        for directory, _subdirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                path = os.path.join(directory, name)
                version = self._version_of(path)
                if version:
                    parts.append(f"{os.path.relpath(path, root)}:{version}\n")
        if not parts:
            return None
        return hashlib.sha256("".join(parts).encode()).hexdigest()[:VERSION_LENGTH]

    def module_version(self, filename: str) -> str | None:
        return self.folder_version(posixpath.dirname(filename))


def init_app(app: Flask) -> None:
    """Version static URLs and serve versioned files with a long cache lifetime."""
    versions = StaticVersions(app)
    app.extensions["static_versions"] = versions

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        filename = values.get("filename")
        if not isinstance(filename, str):
            return
        if endpoint == "static" and VERSION_ARG not in values:
            version = versions.file_version(filename)
            if version:
                values[VERSION_ARG] = version
        elif endpoint == "static_module" and "version" not in values:
            values["version"] = versions.module_version(filename) or "0"

    def static_module(version: str, filename: str) -> Response:
        response = send_from_directory(app.static_folder or "", filename)
        current = version == versions.module_version(filename)
        response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
        return response

    app.add_url_rule(
        f"{app.static_url_path}/modules/<version>/<path:filename>",
        endpoint="static_module",
        view_func=static_module,
    )

    @app.after_request
    def cache_versioned(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        asked = request.args.get(VERSION_ARG)
        filename = (request.view_args or {}).get("filename", "")
        if asked and asked == versions.file_version(filename):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
