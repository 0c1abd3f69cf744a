"""Invented households of Randers Nordby: who lives together, how old they are, how to reach them.

A household exists only in memory until it books something; the booking service then creates its
participants, so the database holds exactly what a real sign-up would.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from checkin.demo.data import HOUSEHOLD_KINDS, MOBILE_PREFIXES
from checkin.demo.names import ORIGINS
from checkin.models import Area, Department
from checkin.services.ages import age_in
from checkin.services.booking import AttendeeDetails, ContactDetails

NOT_GIVEN_GENDER = 0.07  # share of people whose gender was left empty on the form


@dataclass(frozen=True)
class Person:
    first_name: str
    birth_year: int
    gender: str | None
    role: str  # "parent", "child", "adult" or "senior"


@dataclass
class Household:
    origin: str
    surname: str
    area: Area
    department: Department | None
    contact: ContactDetails
    members: list[Person]
    propensity: float  # how reliably they turn up when booked
    booked: set[int] = field(default_factory=set)  # sessions signed up for, seated or waiting

    def ages(self, year: int) -> list[tuple[Person, int]]:
        return [(p, age_in(year, p.birth_year)) for p in self.members]

    def aged(self, year: int, low: int, high: int) -> list[Person]:
        """Members whose age in ``year`` lies in [low, high]."""
        return [p for p, age in self.ages(year) if low <= age <= high]

    @property
    def has_children(self) -> bool:
        return any(p.role == "child" for p in self.members)


def as_details(people: Sequence[Person]) -> list[AttendeeDetails]:
    return [
        AttendeeDetails(first_name=p.first_name, birth_year=p.birth_year, gender=p.gender)
        for p in people
    ]


def ascii_slug(text: str) -> str:
    """ "Yılmaz" -> "yilmaz", "Søren" -> "soren": for invented e-mail addresses."""
    letters: dict[str, str | int | None] = {"ı": "i", "ø": "o", "æ": "ae", "å": "aa"}
    text = text.lower().translate(str.maketrans(letters))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", text)


def _weighted(rng: random.Random, pairs: Sequence[tuple[object, int]]):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class _Namer:
    """Draws first names without repeating one inside a household."""

    def __init__(self, rng: random.Random, origin: dict) -> None:
        self.rng, self.origin = rng, origin
        self.used: set[str] = set()

    def __call__(self, gender: str) -> str:
        pool = [n for n in self.origin[gender] if n not in self.used]
        name = self.rng.choice(pool)
        self.used.add(name)
        return name


def _gender(rng: random.Random, given: str) -> str | None:
    return None if rng.random() < NOT_GIVEN_GENDER else given


def _children(rng: random.Random, name: _Namer, *, year: int, most: int) -> list[Person]:
    count = rng.choices(range(1, most + 1), weights=[3, 4, 3, 2, 1][:most])[0]
    oldest = rng.randint(1, 17) if rng.random() > 0.12 else rng.randint(18, 21)
    younger = range(max(oldest - 14, 0), oldest)
    ages = sorted([oldest, *rng.sample(younger, min(count - 1, len(younger)))])
    kids = []
    for age in ages:
        sex = rng.choice(("female", "male"))
        kids.append(Person(name(sex), year - age, _gender(rng, sex), "child"))
    return kids


def _members(rng: random.Random, kind: str, name: _Namer, *, year: int, most_kids: int):
    """The members of one household of ``kind``; the first is the contact person."""

    def adult(sex: str, age: int, role: str = "parent") -> Person:
        return Person(name(sex), year - age, _gender(rng, sex), role)

    if kind in ("two_parents", "single_parent", "three_generations"):
        kids = _children(rng, name, year=year, most=most_kids)
        oldest = year - min(k.birth_year for k in kids)
        mother = adult("female", max(oldest + rng.randint(21, 36), 23))
        members = [mother]
        if kind != "single_parent":
            father = adult("male", year - mother.birth_year + rng.randint(-2, 6))
            members = [mother, father] if rng.random() < 0.7 else [father, mother]
        elif rng.random() < 0.15:  # a single father
            members = [adult("male", year - mother.birth_year)]
        members += kids
        if kind == "three_generations":
            grand_age = max(year - mother.birth_year + rng.randint(22, 30), 62)
            members.append(adult(rng.choice(("female", "male")), grand_age, "senior"))
        return members
    if kind == "couple":
        age = rng.randint(21, 58)
        return [adult("female", age, "adult"), adult("male", age + rng.randint(-3, 5), "adult")]
    if kind == "single_adult":
        age = rng.choice((rng.randint(18, 29), rng.randint(18, 64)))
        return [adult(rng.choice(("female", "male")), age, "adult")]
    age = rng.randint(65, 86)
    if kind == "senior_couple":
        return [adult("female", age, "senior"), adult("male", age + rng.randint(-2, 5), "senior")]
    return [adult(rng.choice(("female", "female", "male")), age, "senior")]


def make_households(
    rng: random.Random,
    *,
    count: int,
    year: int,
    areas: Sequence[tuple[Area, int]],
) -> list[Household]:
    """``count`` invented households spread over ``areas`` (area, weight), ages as of ``year``."""
    phones: set[str] = set()

    def phone() -> str:
        while True:
            number = "+45" + rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 999999):06d}"
            if number not in phones:
                phones.add(number)
                return number

    emails: set[str] = set()
    households = []
    origin_pairs = [(key, spec["weight"]) for key, spec in ORIGINS.items()]
    for _ in range(count):
        origin_key = _weighted(rng, origin_pairs)
        origin = ORIGINS[origin_key]
        kind = _weighted(rng, HOUSEHOLD_KINDS)
        surname = rng.choice(origin["surnames"])
        most_kids = 3 if origin_key == "danish" else 5
        members = _members(rng, kind, _Namer(rng, origin), year=year, most_kids=most_kids)
        area = _weighted(rng, areas)
        department = rng.choice(area.departments) if area.departments else None

        head = members[0]
        email = None
        reach = rng.random()
        if reach < 0.4 or reach > 0.95:
            email = f"{ascii_slug(head.first_name)}.{ascii_slug(surname)}"
            while f"{email}@mail.example" in emails:
                email += str(rng.randint(1, 9))
            email += "@mail.example"
            emails.add(email)
        contact = ContactDetails(
            name=f"{head.first_name} {surname}",
            phone=None if reach > 0.95 else phone(),  # a few reachable by e-mail only
            email=email,
            area_id=area.id,
            department_id=department.id if department else None,
            is_resident=area.is_resident_area,
            locale=_weighted(rng, origin["locales"]),
        )
        households.append(
            Household(
                origin=origin_key,
                surname=surname,
                area=area,
                department=department,
                contact=contact,
                members=members,
                propensity=rng.uniform(0.7, 0.98),
            )
        )
    return households
