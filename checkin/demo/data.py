"""The demo's fixed content: areas, effort areas, projects, activities and name pools.

Areas and activities follow CONTEXT.md (Randers Nordby's boligsociale helhedsplan); the people are
invented. E-mail addresses use the reserved ``.example`` domain so nothing can ever be delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

# (name, departments, is_resident_area); single-department estates get one department of their name.
AREAS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Gl. Jennumparken", ("Gl. Jennumparken",), True),
    (
        "Glarbjergvej-området",
        (
            "Falkevej",
            "Glarbjergvej",
            "Infanterivej",
            "Glentevej",
            "Brigadevej",
            "Hadsundvej",
            "Nørrebrogade",
        ),
        True,
    ),
    ("Vangdalen", ("Vangdalen",), True),
    ("Hermann Stillingsvej-området", ("Hermann Stillingsvej",), True),
    ("Energivej-området", ("Energivej",), True),
    ("Andet sted i Randers", (), False),
    ("Uden for Randers", (), False),
)

# Relative weight of households living in each area (same order as AREAS).
AREA_WEIGHTS = (25, 35, 15, 12, 8, 7, 3)

EFFORT_AREAS = (
    "Uddannelse og livschancer",
    "Beskæftigelse",
    "Kriminalitetsforebyggelse",
    "Sammenhængskraft og medborgerskab",
)

FUNDER = "Landsbyggefonden / Randers Kommune"

# key -> (name, effort area, description)
PROJECTS: dict[str, tuple[str, str, str]] = {
    "children": (
        "Helhedsplan 2026–2029: Børn og unge",
        "Uddannelse og livschancer",
        "Lektiehjælp, fritidsliv og forældresamarbejde for børn og unge i Nordby.",
    ),
    "jobs": (
        "Job og uddannelse",
        "Beskæftigelse",
        "Vejledning, sprog og netværk, der bringer beboere tættere på job og uddannelse.",
    ),
    "community": (
        "Fællesskab i Nordby",
        "Sammenhængskraft og medborgerskab",
        "Fællesspisning, ture og værksteder, der får naboer på tværs af boligområderne til at "
        "mødes.",
    ),
}


@dataclass(frozen=True)
class Schedule:
    """When an activity meets. ``kind`` is "weekly" (on ``weekdays``, every ``every`` weeks),
    "monthly" (the last ``weekdays[0]`` of each month) or "once" (``days`` from now, moved to
    the next ``weekdays[0]``)."""

    kind: str
    weekdays: tuple[int, ...]
    start: time
    end: time
    every: int = 1
    school_breaks: bool = True
    days: int = 0


@dataclass(frozen=True)
class ActivitySpec:
    key: str
    project: str
    name: str
    description: str
    name_en: str
    description_en: str
    target_group: str
    place: str
    area: str | None
    schedule: Schedule
    capacity: int | None = None
    signup_required: bool = True
    min_age: int | None = None
    max_age: int | None = None


MON, TUE, WED, THU, FRI, SAT = range(6)

ACTIVITIES: tuple[ActivitySpec, ...] = (
    ActivitySpec(
        key="homework",
        project="children",
        name="Lektiecafé",
        description="Hjælp til lektier, læsning og matematik med frivillige. Der er frugt og "
        "saftevand. Tag dine bøger eller din computer med.",
        name_en="Homework café",
        description_en="Help with homework, reading and maths from volunteers. Fruit and squash "
        "are served. Bring your books or your computer.",
        target_group="children",
        min_age=6,
        max_age=16,
        place="Beboerhuset Jennumparken",
        area="Gl. Jennumparken",
        capacity=25,
        schedule=Schedule("weekly", (TUE, THU), time(15), time(17)),
    ),
    ActivitySpec(
        key="football",
        project="children",
        name="Pigefodbold",
        description="Fodbold for piger med træner fra Randers Freja. Ingen erfaring nødvendig, "
        "vi har bolde og overtrækstrøjer.",
        name_en="Girls' football",
        description_en="Football for girls with a coach from Randers Freja. No experience needed, "
        "we have balls and bibs.",
        target_group="youth",
        min_age=10,
        max_age=17,
        place="Nordbyens Idrætshal",
        area="Glarbjergvej-området",
        capacity=20,
        schedule=Schedule("weekly", (WED,), time(16, 30), time(18)),
    ),
    ActivitySpec(
        key="youth_club",
        project="children",
        name="Ungeklub",
        description="Åben klub for unge med bordtennis, PlayStation, musik og en voksen at tale "
        "med. Kom når du vil.",
        name_en="Youth club",
        description_en="Open club for young people with table tennis, PlayStation, music and an "
        "adult to talk to. Drop in when you like.",
        target_group="youth",
        min_age=13,
        max_age=17,
        place="Glarbjergvej Beboerhus",
        area="Glarbjergvej-området",
        signup_required=False,
        schedule=Schedule("weekly", (TUE, FRI), time(18), time(21), school_breaks=False),
    ),
    ActivitySpec(
        key="parents",
        project="children",
        name="Forældrecafé",
        description="Kaffe og snak om skole, fritid og opdragelse. Hver gang et emne, fx "
        "skole-hjem-samarbejde eller skærmtid. Små børn er velkomne.",
        name_en="Parents' café",
        description_en="Coffee and talk about school, leisure and parenting, with a topic each "
        "time such as working with the school or screen time. Small children are welcome.",
        target_group="adults",
        min_age=18,
        place="Vangdalen Fælleshus",
        area="Vangdalen",
        capacity=15,
        schedule=Schedule("weekly", (FRI,), time(9), time(11), every=2),
    ),
    ActivitySpec(
        key="jobs",
        project="jobs",
        name="Jobcafé",
        description="Få hjælp til CV, ansøgninger, Jobnet og MitID. Vejlederen fra "
        "Bysekretariatet er der hver mandag. Ingen tilmelding.",
        name_en="Job café",
        description_en="Get help with your CV, applications, Jobnet and MitID. The adviser from "
        "Bysekretariatet is there every Monday. No sign-up.",
        target_group="adults",
        min_age=18,
        place="Vangdalen Fælleshus",
        area="Vangdalen",
        signup_required=False,
        schedule=Schedule("weekly", (MON,), time(10), time(12), school_breaks=False),
    ),
    ActivitySpec(
        key="language",
        project="jobs",
        name="Dansk sprogcafé",
        description="Øv dansk i hverdagen sammen med frivillige: samtale, breve fra kommunen og "
        "ord til arbejdet. Alle niveauer.",
        name_en="Danish language café",
        description_en="Practise everyday Danish with volunteers: conversation, letters from the "
        "municipality and words for work. All levels.",
        target_group="adults",
        min_age=16,
        place="Glarbjergvej Beboerhus",
        area="Glarbjergvej-området",
        capacity=20,
        schedule=Schedule("weekly", (THU,), time(10), time(12)),
    ),
    ActivitySpec(
        key="dinner",
        project="community",
        name="Fællesspisning",
        description="Aftensmad for hele familien lavet af frivillige beboere. 20 kr. for voksne, "
        "børn spiser gratis. Der er altid en vegetarret, og alt kød er halal.",
        name_en="Community dinner",
        description_en="Dinner for the whole family cooked by volunteer residents. DKK 20 for "
        "adults, children eat for free. There is always a vegetarian dish and all meat is halal.",
        target_group="families",
        place="Glarbjergvej Beboerhus",
        area="Glarbjergvej-området",
        capacity=60,
        schedule=Schedule("monthly", (THU,), time(17, 30), time(19, 30), school_breaks=False),
    ),
    ActivitySpec(
        key="seniors",
        project="community",
        name="Seniorfrokost",
        description="Frokost og hyggeligt samvær for seniorer. Nogle gange med foredrag, banko "
        "eller sang.",
        name_en="Seniors' lunch",
        description_en="Lunch and good company for seniors, sometimes with a talk, bingo or "
        "singing.",
        target_group="seniors",
        min_age=60,
        place="Beboerhuset Jennumparken",
        area="Gl. Jennumparken",
        capacity=30,
        schedule=Schedule("weekly", (WED,), time(12), time(14), every=2, school_breaks=False),
    ),
    ActivitySpec(
        key="crafts",
        project="community",
        name="Kreativt værksted",
        description="Mal, sy, byg og genbrug sammen med andre. Materialer er gratis. Børn under "
        "10 år kommer med en voksen.",
        name_en="Creative workshop",
        description_en="Paint, sew, build and upcycle together with others. Materials are free. "
        "Children under 10 come with an adult.",
        target_group="everyone",
        place="Beboerhuset Jennumparken",
        area="Gl. Jennumparken",
        capacity=16,
        schedule=Schedule("weekly", (SAT,), time(10), time(13), every=2),
    ),
    ActivitySpec(
        key="trip_past",
        project="community",
        name="",  # named by season, see seasonal_trip()
        description="",
        name_en="",
        description_en="",
        target_group="families",
        place="Afgang fra Glarbjergvej Beboerhus",
        area="Glarbjergvej-området",
        capacity=40,
        schedule=Schedule("once", (SAT,), time(8, 30), time(17, 30), days=-125),
    ),
    ActivitySpec(
        key="trip_next",
        project="community",
        name="",
        description="",
        name_en="",
        description_en="",
        target_group="families",
        place="Afgang fra Glarbjergvej Beboerhus",
        area="Glarbjergvej-området",
        capacity=40,
        schedule=Schedule("once", (SAT,), time(9), time(17), days=22),
    ),
)

# month -> (name, description, English name, English description) of a family trip
_TRIPS = {
    "summer": (
        "Sommertur til Djurs Sommerland",
        "En hel dag i Djurs Sommerland for hele familien. Bus, entré og madpakke er betalt. "
        "Børn under 15 år skal have en voksen med.",
        "Summer trip to Djurs Sommerland",
        "A whole day at Djurs Sommerland for the whole family. Bus, tickets and a packed lunch "
        "are paid for. Children under 15 must come with an adult.",
    ),
    "christmas": (
        "Juletur til Aarhus",
        "Vi tager bussen til julemarkedet i Den Gamle By og ser julebelysningen. Entré og "
        "æbleskiver er betalt.",
        "Christmas trip to Aarhus",
        "We take the bus to the Christmas market at Den Gamle By and see the Christmas lights. "
        "Tickets and æbleskiver are paid for.",
    ),
    "autumn": (
        "Efterårstur til Randers Regnskov",
        "Familietur til Randers Regnskov med dyr fra tre kontinenter. Entré og frokost er betalt.",
        "Autumn trip to Randers Rainforest",
        "Family trip to Randers Rainforest with animals from three continents. Tickets and "
        "lunch are paid for.",
    ),
    "winter": (
        "Vintertur til Kattegatcentret",
        "Haj-fodring og rokker i Kattegatcentret i Grenaa. Bus og entré er betalt.",
        "Winter trip to the Kattegat Centre",
        "Shark feeding and rays at the Kattegat Centre in Grenaa. Bus and tickets are paid for.",
    ),
    "spring": (
        "Forårstur til Givskud Zoo",
        "Safari med bus gennem løveanlægget og picnic i parken. Bus, entré og mad er betalt.",
        "Spring trip to Givskud Zoo",
        "A bus safari through the lion park and a picnic. Bus, tickets and food are paid for.",
    ),
}
_SEASON_OF_MONTH = {
    month: season
    for season, months in (
        ("winter", (1, 2, 3)),
        ("spring", (4, 5)),
        ("summer", (6, 7, 8)),
        ("autumn", (9, 10)),
        ("christmas", (11, 12)),
    )
    for month in months
}


def seasonal_trip(month: int) -> tuple[str, str, str, str]:
    """Name, description and their English texts for a family trip in ``month``."""
    return _TRIPS[_SEASON_OF_MONTH[month]]


# Household shapes and their weights.
HOUSEHOLD_KINDS = (
    ("two_parents", 35),
    ("single_parent", 20),
    ("couple", 8),
    ("single_adult", 12),
    ("senior_couple", 10),
    ("single_senior", 10),
    ("three_generations", 5),
)

# Danish mobile number prefixes (the first two of eight digits).
MOBILE_PREFIXES = tuple(
    str(n) for n in (*range(20, 32), *range(40, 43), *range(50, 54), 60, 61, 71, 81, 91, 93)
)

STAFF = (
    # (role, e-mail, name): the first of each role is the printed demo login.
    ("admin", "admin@nordby.example", "Lene Mortensen"),
    ("staff", "staff@nordby.example", "Jonas Kjær"),
    ("staff", "sara@nordby.example", "Sara Al-Amin"),
    ("volunteer", "frivillig@nordby.example", "Hanne Lund"),
    ("volunteer", "ahmed@nordby.example", "Ahmed Yusuf"),
    ("volunteer", "olha@nordby.example", "Olha Petrenko"),
)

PASSWORDS = {
    "admin": "nordby-admin-2026",
    "staff": "nordby-staff-2026",
    "volunteer": "nordby-frivillig-2026",
}
