"""The calendar's filter form: a plain GET form (bookmarkable, works without JavaScript, no
CSRF token in the URL), and the words residents read for target groups and ages."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from checkin.boundary import parse_id
from checkin.models import Activity
from checkin.services.planning import FilterChoices

# Option labels in the filter form.
TARGET_GROUP_CHOICES = {
    "children": _l("Children"),
    "youth": _l("Young people"),
    "adults": _l("Adults"),
    "seniors": _l("Seniors"),
    "families": _l("Families"),
}

# "Who is it for" on a session card.
TARGET_GROUP_WORDS = {
    "children": _l("For children"),
    "youth": _l("For young people"),
    "adults": _l("For adults"),
    "seniors": _l("For seniors"),
    "families": _l("For families"),
    "everyone": _l("For everyone"),
}


@dataclass(frozen=True)
class CalendarFilters:
    """The filters chosen, each None when not chosen. Unknown values are ignored rather than
    answered with an error: an old bookmark should still show the calendar."""

    target_group: str | None = None
    project_id: int | None = None
    area_id: int | None = None

    @classmethod
    def from_args(cls, args: MultiDict[str, str], choices: FilterChoices) -> CalendarFilters:
        target_group = args.get("target_group") or None
        if target_group not in choices.target_groups:
            target_group = None
        project_id = _known_id(args.get("project"), choices.projects)
        area_id = _known_id(args.get("area"), choices.areas)
        return cls(target_group=target_group, project_id=project_id, area_id=area_id)

    @property
    def active(self) -> bool:
        return bool(self.as_query())

    def as_query(self) -> dict[str, str | int]:
        """The chosen filters as URL query arguments (for links that keep them)."""
        query: dict[str, str | int] = {}
        if self.target_group:
            query["target_group"] = self.target_group
        if self.project_id is not None:
            query["project"] = self.project_id
        if self.area_id is not None:
            query["area"] = self.area_id
        return query


def _known_id(raw: str | None, options: list[tuple[int, str]]) -> int | None:
    value = parse_id(raw or "")
    return value if any(option_id == value for option_id, _name in options) else None


def target_group_words(activity: Activity) -> str:
    return str(TARGET_GROUP_WORDS.get(activity.target_group, TARGET_GROUP_WORDS["everyone"]))


def age_words(activity: Activity) -> str | None:
    """The age range in words, or None when the activity has no age limits."""
    low, high = activity.min_age, activity.max_age
    if low is not None and high is not None:
        return _("Age %(low)d to %(high)d", low=low, high=high)
    if low is not None:
        return _("Age %(low)d and up", low=low)
    if high is not None:
        return _("Up to age %(high)d", high=high)
    return None
