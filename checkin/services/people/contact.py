"""A contact person's details: phone and e-mail in canonical form, where they live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from checkin.extensions import db
from checkin.models import Area, Booking, Department, User
from checkin.services.errors import DomainError

DEFAULT_REGION = "DK"
NAME_MAX = 160


def normalise_phone(raw: str | None, *, region: str = DEFAULT_REGION) -> str | None:
    """A phone number in E.164 ("20 12 34 56" -> "+4520123456"); Danish unless it starts with
    a country code. Empty input is None; a number that cannot be dialled is refused."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise _invalid_phone() from error
    if not phonenumbers.is_valid_number(number):
        raise _invalid_phone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _invalid_phone() -> DomainError:
    return DomainError(
        "invalid_phone", _l("Write a phone number, for example 20 12 34 56."), field="phone"
    )


def normalise_email(raw: str | None) -> str | None:
    """An e-mail address in canonical form (domain in lower case); empty input is None. The
    domain is not looked up: a slow or offline DNS must never stop a sign-up."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise DomainError(
            "invalid_email",
            _l("Write an e-mail address like name@example.dk."),
            field="email",
        ) from error


@dataclass(frozen=True)
class Residence:
    area_id: int | None
    department_id: int | None
    is_resident: bool | None


def list_areas() -> list[Area]:
    """Active areas in their configured order, with their departments loaded."""
    return list(
        db.session.scalars(
            select(Area)
            .options(selectinload(Area.departments))
            .where(Area.active.is_(True))
            .order_by(Area.sort_order, Area.name)
        )
    )


def resolve_residence(area_id: int | None, department_id: int | None) -> Residence:
    """Check that the area is active and the department (if any) is an active one of it; the
    area tells whether the household counts as residents of the plan's estates."""
    if department_id is not None:
        department = db.session.get(Department, department_id)
        if department is None or not department.active or not department.area.active:
            raise _unknown_area()
        if area_id is not None and department.area_id != area_id:
            raise _unknown_area()
        area = department.area
    elif area_id is not None:
        chosen = db.session.get(Area, area_id)
        if chosen is None or not chosen.active:
            raise _unknown_area()
        area = chosen
    else:
        return Residence(None, None, None)
    return Residence(area.id, department_id, area.is_resident_area)


def _unknown_area() -> DomainError:
    return DomainError(
        "unknown_area", _l("Choose where you live from the list."), field="residence"
    )


def contact_errors(name: str | None, phone: str | None, email: str | None) -> list[DomainError]:
    """Every problem with a contact's name, phone and e-mail at once, so a form can show them
    all together (empty when the contact is fine)."""
    errors: list[DomainError] = []
    clean_name = (name or "").strip()
    if not clean_name:
        errors.append(DomainError("name_required", _l("Write your name."), field="name"))
    elif len(clean_name) > NAME_MAX:
        errors.append(DomainError("name_too_long", _l("The name is too long."), field="name"))
    found: dict[str, str | None] = {}
    for key, normalise, raw in (
        ("phone", normalise_phone, phone),
        ("email", normalise_email, email),
    ):
        try:
            found[key] = normalise(raw)
        except DomainError as error:
            errors.append(error)
            found[key] = raw
    if not (found["phone"] or found["email"]):
        errors.append(
            DomainError(
                "contact_unreachable",
                _l("Give a phone number or an e-mail address."),
                field="phone",
            )
        )
    return errors


def check_contact(
    name: str | None, phone: str | None, email: str | None
) -> tuple[str, str | None, str | None]:
    """A contact needs a name and a way to reach them: (name, E.164 phone, e-mail), or the
    first problem raised as a DomainError."""
    errors = contact_errors(name, phone, email)
    if errors:
        raise errors[0]
    return (name or "").strip(), normalise_phone(phone), normalise_email(email)


def update_contact(
    booking: Booking,
    *,
    name: str,
    phone: str | None,
    email: str | None,
    area_id: int | None,
    department_id: int | None,
    locale: str,
    at: datetime,
    by: User | None = None,
) -> Booking:
    """Change the contact person's details. The same rules as at sign-up apply (a name, a phone
    or an e-mail); the household's attendees move with the contact's area."""
    if booking.anonymized_at is not None:
        raise DomainError("anonymised", _l("This booking has been deleted."))
    clean_name, clean_phone, clean_email = check_contact(name, phone, email)
    residence = resolve_residence(area_id, department_id)
    booking.contact_name = clean_name
    booking.contact_phone = clean_phone
    booking.contact_email = clean_email
    booking.area_id = residence.area_id
    booking.department_id = residence.department_id
    booking.locale = locale
    for attendee in booking.attendees:
        attendee.area_id = residence.area_id
        attendee.is_resident = residence.is_resident
    db.session.flush()
    return booking
