"""Planning: areas, projects, activities, sessions, weekly series, the calendar."""

from checkin.services.planning.calendar import (
    FILTER_TARGET_GROUPS,
    FilterChoices,
    group_by_day,
    list_activity_sessions,
    list_filter_choices,
    list_upcoming_sessions,
)
from checkin.services.planning.creating import (
    create_activity,
    create_area,
    create_effort_area,
    create_project,
    create_session,
    unique_slug,
)
from checkin.services.planning.editing import (
    add_project,
    cancel_session,
    change_capacity,
    delete_target,
    find_or_create_effort_area,
    save_target,
    set_activity_translation,
    update_activity,
    update_project,
    update_session,
)
from checkin.services.planning.series import (
    MAX_SERIES_SESSIONS,
    create_weekly_series,
    local_moment,
    weekly_dates,
)

__all__ = [
    "FILTER_TARGET_GROUPS",
    "MAX_SERIES_SESSIONS",
    "FilterChoices",
    "add_project",
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
