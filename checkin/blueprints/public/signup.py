"""The activity page and the household sign-up form (issue 3).

The form works without JavaScript: "add a person" is a submit button that renders the form again
with one more row, keeping everything typed. A POST that books redirects to the secret manage
link, so the confirmation can only be reached by the one who booked.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from checkin.blueprints.public import bp
from checkin.blueprints.public.filters import age_words, target_group_words
from checkin.blueprints.public.forms import SignupForm, new_idempotency_key
from checkin.extensions import db, limiter
from checkin.i18n import language_choices
from checkin.models import Activity, Booking, Session
from checkin.services import clock
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from checkin.services.contact import (
    check_contact,
    contact_errors,
    list_areas,
    resolve_residence,
)
from checkin.services.errors import DomainError
from checkin.services.privacy import INFO_TEXT_VERSION
from checkin.services.signup import (
    choose_sessions,
    find_activity,
    list_open_sessions,
    sessions_without_room,
)

# Where a service's error is shown when its field is not the most helpful place.
_FIELD_FOR_CODE = {"guardian_required": "is_adult", "session_closed": "session_id"}


def _booking_rate_limit() -> str:
    return current_app.config["BOOKING_RATE_LIMIT"]


def _only_rerenders() -> bool:
    """Adding or removing a row only renders the form again: it writes nothing, so it does not
    count against the booking limit (a big family would otherwise hit it)."""
    return "add_person" in request.form or "remove_person" in request.form


@bp.route("/activities/<slug>", methods=["GET", "POST"], endpoint="activity")
@limiter.limit(_booking_rate_limit, methods=["POST"], exempt_when=_only_rerenders)
def activity_page(slug: str):
    activity = find_activity(slug)
    if activity is None:
        abort(404)
    at = clock.now()
    sessions = list_open_sessions(activity, at=at)
    max_attendees = int(current_app.config["BOOKING_MAX_ATTENDEES"])
    form = SignupForm()
    form.set_choices(list_areas(), language_choices())
    form.session_id.choices = [SelectChoice(str(s.id)) for s in sessions]
    context = {
        "activity": activity,
        "sessions": sessions,
        "max_attendees": max_attendees,
        "info_text_version": INFO_TEXT_VERSION,
        "age_words": age_words,
        "target_group_words": target_group_words,
        "full_sessions": [],
    }

    if request.method == "GET":
        _prefill(form, sessions)
        return render_template("public/activity.html", form=form, **context)
    if not activity.signup_required or not sessions:
        abort(400)
    if form.add_person.data:
        if len(form.attendees) < max_attendees:
            form.attendees.append_entry()
        return _render(form, context)
    if "remove_person" in request.form:
        _remove_row(form, request.form.get("remove_person", ""))
        return _render(form, context)
    if form.website.data:
        # A honeypot only a bot fills. No booking; the form comes back (status 400) with a
        # general message, so a person whose browser filled it loses nothing and can resend.
        form.website.data = ""
        return _render(
            form, context, status=400, general=_("Please check the form and send it again.")
        )

    form_ok = form.validate()  # first: it clears the errors of every field
    rows_ok = form.check_rows(year=clock.local(at).year)
    problems = contact_errors(form.name.data, form.phone.data, form.email.data)
    for problem in problems:
        _attach(form, problem)
    if not (form_ok and rows_ok) or problems:
        return _render(form, context, status=422)
    try:
        booking = _book(form, activity, at=at, max_attendees=max_attendees, context=context)
    except DomainError as error:
        db.session.rollback()
        _attach(form, error)
        return _render(form, context, status=422)
    except IntegrityError:
        # The same form sent twice at once: the other request holds the idempotency key.
        db.session.rollback()
        booking = _booking_by_key(form.valid_idempotency_key())
        if booking is None:
            raise
    if booking is None:  # the household does not fit: offer the waiting list first
        return _render(form, context, status=200)
    db.session.commit()
    _flash_outcome(booking)
    return redirect(url_for("public.booking", token=booking.manage_token), code=303)


def _prefill(form: SignupForm, sessions: list[Session]) -> None:
    form.idempotency_key.data = new_idempotency_key()
    wanted = request.args.get("session", "")
    ids = [str(s.id) for s in sessions]
    form.session_id.data = wanted if wanted in ids else (ids[0] if ids else None)
    form.scope.data = "session"
    form.language.data = str(get_locale())


def _remove_row(form: SignupForm, raw_index: str) -> None:
    if raw_index.isdigit() and len(form.attendees) > 1:
        index = int(raw_index)
        if 0 <= index < len(form.attendees):
            del form.attendees.entries[index]


def _book(
    form: SignupForm, activity: Activity, *, at, max_attendees: int, context: dict
) -> Booking | None:
    """Book the household, or None when it must first say yes to the waiting list."""
    existing = _booking_by_key(form.valid_idempotency_key())
    if existing is not None:
        return existing
    name, phone, email = check_contact(form.name.data, form.phone.data, form.email.data)
    residence = resolve_residence(*form.residence_ids())
    session_id = int(form.session_id.data) if (form.session_id.data or "").isdigit() else None
    sessions = choose_sessions(activity, scope=form.scope.data, session_id=session_id, at=at)
    rows = form.filled_rows()
    full = sessions_without_room(sessions, len(rows))
    if full and not form.join_waitlist.data and rows:
        context["full_sessions"] = full
        return None
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
            for row in rows
        ],
        at=at,
        info_text_version=INFO_TEXT_VERSION,
        scope=form.scope.data,
        idempotency_key=form.valid_idempotency_key(),
        max_attendees=max_attendees,
    )


def _booking_by_key(key: str | None) -> Booking | None:
    if not key:
        return None
    return db.session.scalar(select(Booking).where(Booking.idempotency_key == key))


def _attach(form: SignupForm, error: DomainError) -> None:
    """Put a service's message next to the field it is about (or at the top)."""
    name = _FIELD_FOR_CODE.get(error.code, error.field)
    if name == "attendees":
        form.attendees_errors = [error.message]
        return
    field = getattr(form, name, None) if name else None
    if field is None:
        form.general_errors = [error.message]
    else:
        field.errors = [*field.errors, error.message]


def _flash_outcome(booking: Booking) -> None:
    statuses = {row.status for row in booking.seats}
    if statuses == {"confirmed"}:
        flash(_("Thank you! You are signed up."), "success")
    elif "confirmed" in statuses:
        flash(_("You are signed up. On some dates you are on the waiting list: see below."), "info")
    else:
        flash(_("It is full. Your whole household is on the waiting list."), "info")


def error_list(form: SignupForm) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary at the top, in page order."""
    items: list[tuple[str, str]] = [
        ("signup-form", str(m)) for m in getattr(form, "general_errors", [])
    ]
    radio = {"session_id", "scope", "is_adult"}
    order = ["session_id", "scope"]
    for name in order:
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


def _render(form: SignupForm, context: dict, *, status: int = 200, general=None):
    if general:
        form.general_errors = [general]
    return (
        render_template("public/activity.html", form=form, errors=error_list(form), **context),
        status,
    )
