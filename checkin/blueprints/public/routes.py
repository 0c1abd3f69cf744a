"""The language switch and the information pages."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request

from checkin.blueprints.public.blueprint import bp
from checkin.i18n import LANGUAGE_COOKIE, safe_next


@bp.route("/language/<code>")
def set_language(code: str):
    """Remember the chosen language in a cookie and go back to where the user was."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = make_response(redirect(safe_next(request.args.get("next"))))
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
    )
    return response


@bp.route("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.route("/accessibility")
def accessibility():
    return render_template("public/accessibility.html")
