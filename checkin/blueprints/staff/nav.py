"""The staff navigation. Links to pages that are not registered (yet) are left out, so the
back office works while its parts are built separately."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from checkin.blueprints.staff.blueprint import bp

# (endpoint, label, role needed)
NAV = [
    ("staff.dashboard", _l("Dashboard"), "staff"),
    ("staff.planning", _l("Planning"), "staff"),
    ("staff.people", _l("People"), "staff"),
    ("staff.users", _l("Users"), "admin"),
    ("staff.exports", _l("Exports"), "staff"),
    ("staff.annual_report", _l("Annual report"), "staff"),
    ("desk.start", _l("Check-in desk"), "volunteer"),
]


def staff_nav() -> list[dict]:
    """The links the current user may follow, among the registered endpoints."""
    items = []
    for endpoint, label, role in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if not (current_user.is_authenticated and current_user.has_role(role)):
            continue
        items.append(
            {"url": url_for(endpoint), "label": label, "current": request.endpoint == endpoint}
        )
    return items


@bp.app_context_processor
def _inject_nav() -> dict:
    return {"staff_nav": staff_nav}
