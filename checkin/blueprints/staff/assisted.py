"""Assisted sign-up: staff book on behalf of a resident at the office, through the residents'
own form and the same ``create_booking`` (source "office"), then print the tickets from the
staff booking page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from checkin.blueprints.auth.decorators import role_required
from checkin.blueprints.public.forms import SignupForm, new_idempotency_key
from checkin.blueprints.public.signup import error_list
from checkin.blueprints.staff import bp
from checkin.extensions import db
from checkin.i18n import language_choices
from checkin.models import Activity, Booking
from checkin.services import clock
from checkin.services.booking import AttendeeDetails, ContactDetails, create_booking
from checkin.services.contact import check_contact, contact_errors, list_areas, resolve_residence
from checkin.services.errors import DomainError
from checkin.services.privacy import INFO_TEXT_VERSION
from checkin.services.signup import (
    choose_sessions,
    find_activity,
    list_open_sessions,
    sessions_without_room,
)

_FIELD_FOR_CODE = {"guardian_required": "is_adult", "session_closed": "session_id"}


@bp.route("/activities/<slug>/book", methods=["GET", "POST"], endpoint="assisted_booking")
@role_required("staff")
def assisted_booking(slug: str):
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
        "full_sessions": [],
    }
    if request.method == "GET":
        form.idempotency_key.data = new_idempotency_key()
        ids = [str(s.id) for s in sessions]
        wanted = request.args.get("session", "")
        form.session_id.data = wanted if wanted in ids else (ids[0] if ids else None)
        form.scope.data = "session"
        form.language.data = current_app.config["BABEL_DEFAULT_LOCALE"]
        form.is_adult.data = "yes"
        return _render(form, context)
    if not activity.signup_required or not sessions:
        abort(400)
    if form.add_person.data:
        if len(form.attendees) < max_attendees:
            form.attendees.append_entry()
        return _render(form, context)
    if "remove_person" in request.form:
        raw = request.form.get("remove_person", "")
        if raw.isdigit() and len(form.attendees) > 1 and int(raw) < len(form.attendees):
            del form.attendees.entries[int(raw)]
        return _render(form, context)

    form_ok = form.validate()
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
    except IntegrityError:  # the same form sent twice at once
        db.session.rollback()
        booking = _by_key(form.valid_idempotency_key())
        if booking is None:
            raise
    if booking is None:
        return _render(form, context)  # does not fit: ask about the waiting list first
    db.session.commit()
    flash(_("The booking is made. Print the tickets for the resident."), "success")
    return redirect(url_for("staff.booking", booking_id=booking.id), code=303)


def _by_key(key: str | None) -> Booking | None:
    if not key:
        return None
    return db.session.scalar(select(Booking).where(Booking.idempotency_key == key))


def _book(
    form: SignupForm, activity: Activity, *, at, max_attendees: int, context: dict
) -> Booking | None:
    existing = _by_key(form.valid_idempotency_key())
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
        by=current_user._get_current_object(),
        source="office",
        max_attendees=max_attendees,
    )


def _attach(form: SignupForm, error: DomainError) -> None:
    name = _FIELD_FOR_CODE.get(error.code, error.field)
    if name == "attendees":
        form.attendees_errors = [error.message]
        return
    field = getattr(form, name, None) if name else None
    if field is None:
        form.general_errors = [error.message]
    else:
        field.errors = [*field.errors, error.message]


def _render(form: SignupForm, context: dict, *, status: int = 200):
    return render_template(
        "staff/assisted_booking.html", form=form, errors=error_list(form), **context
    ), status
