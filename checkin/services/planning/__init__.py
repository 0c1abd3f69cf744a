"""Planning: areas, projects, activities, sessions, weekly series, the calendar."""

from checkin.services.planning.activities import (
    active_activities,
    create_activity,
    set_activity_translation,
    unique_slug,
    update_activity,
)
from checkin.services.planning.areas import (
    create_area,
    create_effort_area,
    find_or_create_effort_area,
)
from checkin.services.planning.calendar import (
    FILTER_TARGET_GROUPS,
    FilterChoices,
    group_by_day,
    list_activity_sessions,
    list_filter_choices,
    list_upcoming_sessions,
)
from checkin.services.planning.occurrences import (
    MAX_CAPACITY,
    cancel_session,
    change_capacity,
    create_session,
    update_session,
)
from checkin.services.planning.projects import create_project, update_project
from checkin.services.planning.series import (
    MAX_SERIES_SESSIONS,
    create_weekly_series,
    local_moment,
    weekly_dates,
)
from checkin.services.planning.targets import delete_target, save_target

__all__ = [
    "FILTER_TARGET_GROUPS",
    "MAX_CAPACITY",
    "MAX_SERIES_SESSIONS",
    "FilterChoices",
    "active_activities",
    "cancel_session",
    "change_capacity",
    "create_activity",
    "create_area",
    "create_effort_area",
    "create_project",
    "create_session",
    "create_weekly_series",
    "delete_target",
    "find_or_create_effort_area",
    "group_by_day",
    "list_activity_sessions",
    "list_filter_choices",
    "list_upcoming_sessions",
    "local_moment",
    "save_target",
    "set_activity_translation",
    "unique_slug",
    "update_activity",
    "update_project",
    "update_session",
    "weekly_dates",
]
