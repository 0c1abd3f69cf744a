"""The household sign-up form's round trip, shared by the residents' activity page and the
staff's assisted booking at the office: same form, same checks, same ``create_booking``.

``handle_signup_post`` adds or removes a person row, validates, and books. It returns the
booking, or None when the form must be shown again (errors, a changed row count, or a household
that must first say yes to the waiting list); the caller redirects or renders, and the
request boundary commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request
from wtforms.fields.choices import SelectChoice

from checkin.blueprints.form_errors import refusal_shown, show_error
from checkin.blueprints.public.forms import SignupForm, new_idempotency_key
from checkin.boundary import parse_id
from checkin.i18n import language_choices
from checkin.models import Activity, Booking, Occurrence, User
from checkin.services import clock
from checkin.services.booking import (
    AttendeeDetails,
    ContactDetails,
    choose_sessions,
    create_booking,
    list_open_sessions,
)
from checkin.services.people import check_contact, contact_errors, list_areas, resolve_residence
from checkin.services.privacy import INFO_TEXT_VERSION
from checkin.vocabulary import BookingSource

# Where a service's error is shown when its field is not the most helpful place. The waiting-
# list question's field is never drawn: the offer box (``full_sessions``) stands for it.
_FIELD_FOR_CODE = {
    "guardian_required": "is_adult",
    "session_closed": "session_id",
    "waitlist_consent_needed": "join_waitlist",
}


@dataclass
class SignupPage:
    """The form and what the template needs around it."""

    form: SignupForm
    context: dict
    status: int = 200

    @property
    def max_attendees(self) -> int:
        return self.context["max_attendees"]


def open_signup(activity: Activity, *, at: datetime, **extra_context) -> SignupPage:
    """The form for ``activity``'s open dates, bound to the request's data when posted."""
    sessions = list_open_sessions(activity, at=at)
    form = SignupForm()
    form.set_choices(list_areas(), language_choices())
    form.session_id.choices = [SelectChoice(str(s.id)) for s in sessions]
    context = {
        "activity": activity,
        "sessions": sessions,
        "max_attendees": int(current_app.config["BOOKING_MAX_ATTENDEES"]),
        "info_text_version": INFO_TEXT_VERSION,
        "full_sessions": [],
        **extra_context,
    }
    return SignupPage(form, context)


def prefill(page: SignupPage, *, language: str, is_adult: str | None = None) -> None:
    """A fresh form: a new idempotency key, the date asked for (or the first), one date only."""
    form, sessions = page.form, page.context["sessions"]
    form.idempotency_key.data = new_idempotency_key()
    ids = [str(s.id) for s in sessions]
    wanted = request.args.get("session", "")
    form.session_id.data = wanted if wanted in ids else (ids[0] if ids else None)
    form.scope.data = "session"
    form.language.data = language
    if is_adult is not None:
        form.is_adult.data = is_adult


def handle_signup_post(
    page: SignupPage, activity: Activity, *, at: datetime, by: User | None, source: BookingSource
) -> Booking | None:
    """Apply a posted form: change the rows, or validate and book. None means render again
    (``page.status`` says with which status); errors are attached next to their fields."""
    form = page.form
    if form.add_person.data:
        if len(form.attendees) < page.max_attendees:
            form.attendees.append_entry()
        return None
    if "remove_person" in request.form:
        _remove_row(form, request.form.get("remove_person", ""))
        return None

    form_ok = form.validate()  # first: it clears the errors of every field
    rows_ok = form.check_rows(year=clock.local(at).year)
    problems = contact_errors(form.name.data, form.phone.data, form.email.data)
    for problem in problems:
        show_error(form, problem, field_for=_FIELD_FOR_CODE)
    if not (form_ok and rows_ok) or problems:
        page.status = 422
        return None
    with refusal_shown(form, field_for=_FIELD_FOR_CODE) as refusal:
        return _book(page, activity, at=at, by=by, source=source)
    if refusal.error is not None and refusal.error.code == "waitlist_consent_needed":
        # Not an error but a question: the form comes back with the waiting-list offer.
        page.context["full_sessions"] = refusal.error.details["sessions"]
    else:
        page.status = 422
    return None


def _remove_row(form: SignupForm, raw_index: str) -> None:
    if (
        raw_index in {str(index) for index in range(len(form.attendees))}
        and len(form.attendees) > 1
    ):
        del form.attendees.entries[int(raw_index)]


def _book(
    page: SignupPage, activity: Activity, *, at: datetime, by: User | None, source: BookingSource
) -> Booking:
    form = page.form
    name, phone, email = check_contact(form.name.data, form.phone.data, form.email.data)
    residence = resolve_residence(*form.residence_ids())
    session_id = parse_id(form.session_id.data or "")
    sessions: list[Occurrence] = choose_sessions(
        activity, scope=form.scope.data, session_id=session_id, at=at
    )
    return create_booking(
        activity,
        sessions=sessions,
        contact=ContactDetails(
            name=name,
            phone=phone,
            email=email,
            area_id=residence.area_id,
            department_id=residence.department_id,
            is_resident=residence.is_resident,
            locale=form.language.data,
            is_adult=form.is_adult.data == "yes",
        ),
        attendees=[
            AttendeeDetails(
                first_name=row.first_name.data.strip(),
                birth_year=row.year(),
                gender=row.gender.data or None,
            )
            for row in form.filled_rows()
        ],
        at=at,
        info_text_version=INFO_TEXT_VERSION,
        scope=form.scope.data,
        idempotency_key=form.valid_idempotency_key(),
        by=by,
        source=source,
        max_attendees=page.max_attendees,
        join_waitlist=bool(form.join_waitlist.data),
    )


def error_list(form: SignupForm) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary at the top, in page order."""
    items: list[tuple[str, str]] = [
        ("signup-form", str(m)) for m in getattr(form, "general_errors", [])
    ]
    radio = {"session_id", "scope", "is_adult"}
    for name in ("session_id", "scope"):
        field = getattr(form, name)
        items += [(f"{field.id}-0", str(m)) for m in field.errors]
    items += [("attendees", str(m)) for m in getattr(form, "attendees_errors", [])]
    for entry in form.attendees:
        for sub in entry.form:
            items += [(sub.id, str(m)) for m in sub.errors]
    for name in ("name", "phone", "email", "residence", "language", "is_adult"):
        field = getattr(form, name)
        anchor = f"{field.id}-0" if name in radio else field.id
        items += [(anchor, str(m)) for m in field.errors]
    return items
