"""Accounts: staff and volunteer logins, roles, volunteer assignments and hours."""

from checkin.services.accounts.admin import (
    MAX_SHIFT_MINUTES,
    assign_volunteer,
    assigned_activities,
    list_users,
    record_volunteer_hours,
    reset_password,
    session_shifts,
    set_desk_assigned_only,
    set_user_active,
    unassign_volunteer,
    update_user,
)
from checkin.services.accounts.logins import (
    MIN_PASSWORD_LENGTH,
    authenticate,
    create_user,
    end_sessions,
    normalise_email,
    set_password,
)

__all__ = [
    "MAX_SHIFT_MINUTES",
    "MIN_PASSWORD_LENGTH",
    "assign_volunteer",
    "assigned_activities",
    "authenticate",
    "create_user",
    "end_sessions",
    "list_users",
    "normalise_email",
    "record_volunteer_hours",
    "reset_password",
    "session_shifts",
    "set_desk_assigned_only",
    "set_password",
    "set_user_active",
    "unassign_volunteer",
    "update_user",
]
