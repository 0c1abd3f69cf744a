"""The activity page and the household sign-up form, through the test client with CSRF on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from checkin.extensions import db
from checkin.models import Attendee, Booking, BookingSession, Occurrence, WaitlistEntry
from checkin.models.activity import ActivityTranslation
from checkin.services.privacy import INFO_TEXT_VERSION
from tests.factories import make_activity, make_area, make_booking, make_session

_HIDDEN = re.compile(r'name="(csrf_token|idempotency_key)"[^>]*value="([^"]+)"')


@pytest.fixture
def world(app, frozen_clock):
    """A weekly homework café with three coming dates (one already over) and two areas."""
    estate = make_area("Vangdalen", departments=["Falkevej", "Glentevej"])
    elsewhere = make_area("Outside Randers", departments=[], is_resident_area=False)
    cafe = make_activity(
        name="Lektiecafé",
        default_capacity=10,
        min_age=6,
        max_age=16,
        place="Nordbyhuset",
        description="Help with homework.\n\nBring your books.",
    )
    cafe.translations.append(
        ActivityTranslation(locale="da", name="Lektiecafé", description="Hjælp til lektier.")
    )
    sessions = [make_session(cafe, starts_in=timedelta(days=d)) for d in (1, 8, 15)]
    make_session(cafe, starts_in=timedelta(days=-6))
    db.session.commit()
    return {
        "activity_id": cafe.id,
        "url": f"/activities/{cafe.slug}",
        "session_ids": [s.id for s in sessions],
        "department_id": estate.departments[0].id,
        "area_id": estate.id,
        "elsewhere_id": elsewhere.id,
    }


def hidden_values(client, url: str) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    return dict(_HIDDEN.findall(html))


def household(world, hidden, people=(("Amina", "2015"), ("Omar", "2012"), ("Leila", "1985"))):
    data = {
        **hidden,
        "session_id": str(world["session_ids"][0]),
        "scope": "session",
        "is_adult": "yes",
        "name": "Leila Hansen",
        "phone": "20 12 34 56",
        "email": "",
        "residence": f"d{world['department_id']}",
        "language": "en",
        "website": "",
        "submit": "1",
    }
    for i, (first_name, year) in enumerate(people):
        data[f"attendees-{i}-first_name"] = first_name
        data[f"attendees-{i}-birth_year"] = year
        data[f"attendees-{i}-gender"] = ""
    return data


@pytest.fixture
def english(client):
    client.get("/language/en")
    return client


def bookings() -> list[Booking]:
    db.session.expire_all()
    return list(db.session.scalars(select(Booking).order_by(Booking.id)))


def test_activity_page_shows_text_dates_place_ages_and_form(english, world):
    html = english.get(world["url"]).get_data(as_text=True)
    assert '<h1 dir="auto">Lektiecafé</h1>' in html
    assert "Help with homework." in html and "<p>Bring your books.</p>" in html
    assert "Nordbyhuset" in html
    assert "Age 6 to 16" in html
    assert html.count('name="session_id"') == 3  # the past date is not offered
    assert "10 seats left" in html
    assert "All coming dates (3 dates)" in html
    assert f"Information text version {INFO_TEXT_VERSION}" in html
    assert 'class="hp"' in html and 'name="website"' in html
    assert "<optgroup" in html and "Falkevej" in html and "Outside Randers" in html


def test_activity_page_uses_the_staff_translation(client, world):
    html = client.get(world["url"] + "?lang=da").get_data(as_text=True)
    assert "Hjælp til lektier." in html
    assert "Help with homework." not in html


def test_unknown_activity_is_404(client, world):
    assert client.get("/activities/nope").status_code == 404


def test_happy_path_household_of_three(english, world):
    hidden = hidden_values(english, world["url"])
    response = english.post(world["url"], data=household(world, hidden))
    assert response.status_code == 303
    [booking] = bookings()
    assert response.headers["Location"] == f"/b/{booking.manage_token}"
    assert len(booking.manage_token) >= 43  # 256 bits, URL-safe
    assert [a.first_name for a in booking.attendees] == ["Amina", "Omar", "Leila"]
    assert booking.contact_phone == "+4520123456"  # "20 12 34 56", Danish by default
    assert booking.info_text_version == INFO_TEXT_VERSION
    assert booking.department_id == world["department_id"]
    assert booking.area_id == world["area_id"]
    assert booking.locale == "en"
    assert booking.idempotency_key == hidden["idempotency_key"]
    assert [(r.session_id, r.status, r.seats) for r in booking.seat_rows] == [
        (world["session_ids"][0], "confirmed", 3)
    ]
    assert db.session.get(Occurrence, world["session_ids"][0]).seats_taken == 3
    assert all(a.is_resident for a in booking.attendees)

    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you! You are signed up." in page
    for first_name in ("Amina", "Omar", "Leila"):
        assert first_name in page
    assert "Confirmed" in page
    assert f"/b/{booking.manage_token}" in page
    # The success message is shown once, on the first view.
    assert "Thank you!" not in english.get(f"/b/{booking.manage_token}").get_data(as_text=True)


def test_email_only_contact_is_normalised(english, world):
    data = household(world, hidden_values(english, world["url"]))
    data.update(phone="", email="Leila@Example.DK", residence=f"a{world['elsewhere_id']}")
    assert english.post(world["url"], data=data).status_code == 303
    [booking] = bookings()
    assert booking.contact_email == "Leila@example.dk"
    assert booking.contact_phone is None
    assert booking.area_id == world["elsewhere_id"]
    assert booking.attendees[0].is_resident is False


def test_missing_contact_shows_error_next_to_field_and_keeps_everything(english, world):
    data = household(world, hidden_values(english, world["url"]))
    data.update(phone="", email="")
    response = english.post(world["url"], data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert bookings() == []
    assert 'id="phone-error"' in html
    assert "Give a phone number or an e-mail address." in html
    assert 'aria-describedby="phone-hint phone-error"' in html
    assert 'href="#phone"' in html  # the error summary links to the field
    for value in ("Leila Hansen", "Amina", "Omar", "2012", data["idempotency_key"]):
        assert f'value="{value}"' in html
    assert f'<option selected value="d{world["department_id"]}">' in html


def test_invalid_email_and_phone_are_refused(english, world):
    data = household(world, hidden_values(english, world["url"]))
    data.update(phone="", email="leila@")
    html = english.post(world["url"], data=data).get_data(as_text=True)
    assert 'id="email-error"' in html and "Write an e-mail address" in html
    data.update(phone="12", email="")
    html = english.post(world["url"], data=data).get_data(as_text=True)
    assert 'id="phone-error"' in html and "Write a phone number" in html
    assert bookings() == []


def test_missing_name_birth_year_and_adult_answer(english, world):
    data = household(world, hidden_values(english, world["url"]))
    data.update({"name": "", "attendees-1-birth_year": "12", "attendees-2-first_name": ""})
    del data["is_adult"]
    html = english.post(world["url"], data=data).get_data(as_text=True)
    assert 'id="name-error"' in html
    assert 'id="attendees-1-birth_year-error"' in html
    assert 'id="attendees-2-first_name-error"' in html
    assert 'id="is_adult-error"' in html
    assert bookings() == []


def test_child_with_a_young_contact_is_refused(english, world):
    data = household(world, hidden_values(english, world["url"]), people=[("Amina", "2015")])
    data["is_adult"] = "no"
    response = english.post(world["url"], data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="is_adult-error"' in html
    assert "Children under 15 must be signed up by a parent" in html
    assert bookings() == []
    # A 16-year-old may sign up alone.
    data = household(world, hidden_values(english, world["url"]), people=[("Sara", "2010")])
    data["is_adult"] = "no"
    assert english.post(world["url"], data=data).status_code == 303
    assert bookings()[0].contact_is_adult is False


@pytest.mark.parametrize("app_config", [{"BOOKING_MAX_ATTENDEES": 2}])
def test_too_many_attendees(english, world):
    html = english.get(world["url"]).get_data(as_text=True)
    assert "At most 2 people" in html
    response = english.post(
        world["url"], data=household(world, hidden_values(english, world["url"]))
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "At most 2 people per sign-up." in html
    assert bookings() == []


def test_add_person_without_javascript_keeps_what_was_typed(english, world):
    data = household(world, hidden_values(english, world["url"]), people=[("Дмитрий", "2014")])
    data["add_person"] = "1"
    del data["submit"]
    response = english.post(world["url"], data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert bookings() == []
    assert 'name="attendees-1-first_name"' in html
    assert 'value="Дмитрий"' in html and 'value="Leila Hansen"' in html
    assert 'id="error-summary"' not in html and 'class="error"' not in html

    # Fill in the new row and send: one booking with both.
    data.pop("add_person")
    data.update({"attendees-1-first_name": "Ольга", "attendees-1-birth_year": "1990"})
    data["submit"] = "1"
    assert english.post(world["url"], data=data).status_code == 303
    assert [a.first_name for a in bookings()[0].attendees] == ["Дмитрий", "Ольга"]


def test_remove_person_and_blank_rows_are_ignored(english, world):
    data = household(world, hidden_values(english, world["url"]))
    data["remove_person"] = "1"
    del data["submit"]
    html = english.post(world["url"], data=data).get_data(as_text=True)
    assert 'value="Omar"' not in html and 'value="Leila"' in html
    data = household(
        world, hidden_values(english, world["url"]), people=[("Amina", "2015"), ("", "")]
    )
    assert english.post(world["url"], data=data).status_code == 303
    assert len(bookings()[0].attendees) == 1


def test_double_submit_makes_one_booking(english, world):
    data = household(world, hidden_values(english, world["url"]))
    first = english.post(world["url"], data=data)
    second = english.post(world["url"], data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(bookings()) == 1
    assert db.session.get(Occurrence, world["session_ids"][0]).seats_taken == 3


def test_filled_honeypot_books_nothing(english, world):
    data = household(world, hidden_values(english, world["url"]))
    data["website"] = "http://spam.example"
    response = english.post(world["url"], data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert bookings() == []
    assert "Please check the form and send it again." in html
    assert 'value="Leila Hansen"' in html  # a person whose browser filled it loses nothing
    assert "spam.example" not in html


def test_without_csrf_token_nothing_is_booked(english, world):
    data = household(world, hidden_values(english, world["url"]))
    del data["csrf_token"]
    assert english.post(world["url"], data=data).status_code == 400
    assert bookings() == []


def test_household_that_does_not_fit_is_offered_the_waiting_list(english, world):
    session = db.session.get(Occurrence, world["session_ids"][0])
    make_booking(session, people=[f"P{i}" for i in range(8)])
    db.session.commit()
    html = english.get(world["url"]).get_data(as_text=True)
    assert "2 seats left" in html

    data = household(world, hidden_values(english, world["url"]))
    response = english.post(world["url"], data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="waitlist-offer"' in html and "does not fit" in html
    assert len(bookings()) == 1  # nothing booked without asking

    data["join_waitlist"] = "1"
    response = english.post(world["url"], data=data)
    assert response.status_code == 303
    booking = bookings()[-1]
    assert [(r.status, r.seats) for r in booking.seat_rows] == [("waitlisted", 3)]
    assert db.session.scalar(select(func.count()).select_from(WaitlistEntry)) == 1
    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your whole household is on the waiting list." in page
    assert "On the waiting list" in page
    assert db.session.get(Occurrence, world["session_ids"][0]).seats_taken == 8


def test_series_books_all_coming_sessions(english, world):
    session = db.session.get(Occurrence, world["session_ids"][2])
    session.capacity = 2
    db.session.commit()
    data = household(world, hidden_values(english, world["url"]))
    data.update(scope="series", session_id="", join_waitlist="1")
    response = english.post(world["url"], data=data)
    assert response.status_code == 303
    [booking] = bookings()
    assert booking.scope == "series"
    assert [(r.session_id, r.status) for r in booking.seat_rows] == [
        (world["session_ids"][0], "confirmed"),
        (world["session_ids"][1], "confirmed"),
        (world["session_ids"][2], "waitlisted"),
    ]
    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert "On some dates you are on the waiting list" in page
    assert page.count('class="booking-date status-') == 3


@pytest.mark.parametrize(
    "names",
    [("أمينة", "عمر"), ("Дмитрий", "Ольга"), ("Søren", "Åse")],
    ids=["arabic", "cyrillic", "danish"],
)
def test_names_in_any_script_round_trip(english, world, names):
    people = [(names[0], "2015"), (names[1], "1988")]
    data = household(world, hidden_values(english, world["url"]), people=people)
    data["name"] = names[1] + " Æblegård"
    response = english.post(world["url"], data=data)
    [booking] = bookings()
    assert [a.first_name for a in booking.attendees] == list(names)
    assert booking.contact_name == names[1] + " Æblegård"
    page = english.get(response.headers["Location"]).get_data(as_text=True)
    assert f"<bdi>{names[0]}</bdi>" in page and f"<bdi>{names[1]} Æblegård</bdi>" in page


def test_closed_or_open_activities_have_no_form(english, world, frozen_clock):
    walk_in = make_activity(name="Jobcafé", signup_required=False)
    make_session(walk_in, starts_in=timedelta(days=1), capacity=None)
    db.session.commit()
    html = english.get(f"/activities/{walk_in.slug}").get_data(as_text=True)
    assert "no sign-up needed" in html and 'name="session_id"' not in html

    frozen_clock.advance(days=30)
    html = english.get(world["url"]).get_data(as_text=True)
    assert "There are no coming dates" in html


def test_session_started_meanwhile_is_refused(english, world, frozen_clock):
    data = household(world, hidden_values(english, world["url"]))
    frozen_clock.advance(days=2)  # the chosen date has started
    response = english.post(world["url"], data=data)
    assert response.status_code == 422
    assert 'id="session_id-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BookingSession)) == 0


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "BOOKING_RATE_LIMIT": "3 per minute"}

    def test_booking_posts_are_rate_limited_and_the_form_keeps_what_was_typed(self, english, world):
        hidden = hidden_values(english, world["url"])
        statuses = []
        for _ in range(4):
            data = household(world, hidden)
            data["phone"] = ""  # invalid: nothing booked, but every try counts
            statuses.append(english.post(world["url"], data=data).status_code)
        assert statuses == [422, 422, 422, 429]
        response = english.post(world["url"], data=household(world, hidden))
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert "Please wait a few minutes and send the form again" in html
        assert 'value="Leila Hansen"' in html and 'value="Amina"' in html
        assert f'value="{hidden["idempotency_key"]}"' in html  # sent again, booked once
        assert "Retry-After" in response.headers
        assert db.session.scalar(select(func.count()).select_from(Attendee)) == 0
        # Showing the page stays possible.
        assert english.get(world["url"]).status_code == 200


class TestContactLimit:
    """Many households share an address (a family centre's Wi-Fi); one contact is one
    household, whatever its address."""

    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "TRUSTED_PROXY_HOPS": 1,
            "BOOKING_CONTACT_RATE_LIMIT": "2 per hour",
        }

    def book(self, client, world, *, address: str, **contact):
        data = household(world, hidden_values(client, world["url"]), people=[("Amina", "2015")])
        data.update(contact)
        return client.post(world["url"], data=data, headers={"X-Forwarded-For": address})

    def test_one_phone_books_twice_an_hour_from_any_address(self, english, world):
        phone = {"phone": "20 12 34 56"}
        assert self.book(english, world, address="203.0.113.1", **phone).status_code == 303
        assert self.book(english, world, address="203.0.113.2", **phone).status_code == 303
        # The same number written otherwise is the same contact.
        again = self.book(english, world, address="203.0.113.3", phone="+45 2012 3456")
        assert again.status_code == 429
        assert 'value="+45 2012 3456"' in again.get_data(as_text=True)
        # Other households at the same address book on.
        other = self.book(english, world, address="203.0.113.3", phone="20 99 88 77")
        assert other.status_code == 303
        assert len(bookings()) == 3

    def test_an_email_is_a_contact_too(self, english, world):
        mail = {"phone": "", "email": "Leila@Example.dk"}
        for n in range(2):
            mail["phone"] = f"20 11 22 3{n}"  # a new phone each time: the address still counts
            assert self.book(english, world, address="203.0.113.1", **mail).status_code == 303
        mail.update(phone="20 11 22 39", email="leila@example.dk")
        assert self.book(english, world, address="203.0.113.1", **mail).status_code == 429

    def test_refused_forms_cost_nothing(self, english, world):
        for _ in range(3):
            refused = self.book(english, world, address="203.0.113.1", name="")
            assert refused.status_code == 422
        assert self.book(english, world, address="203.0.113.1").status_code == 303


class TestSharedAddressDefaults:
    """The shipped limits let a busy family centre sign up on one address."""

    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_twenty_households_on_one_address_in_a_minute(self, english, world):
        statuses = [self.book(english, world, n).status_code for n in range(20)]
        assert statuses == [303] * 20
        assert self.book(english, world, 20).status_code == 429  # a bot is still stopped

    def book(self, client, world, n: int):
        data = household(world, hidden_values(client, world["url"]), people=[("Amina", "2015")])
        data["phone"] = f"20 30 {n // 10}{n % 10} 00"
        data["join_waitlist"] = "y"  # ten seats: the others wait
        return client.post(world["url"], data=data)
