"""Age bands as the evaluations report them (CONTEXT.md)."""

from __future__ import annotations

from checkin.models.booking import AGE_BANDS

# Lower bound of each band, in the order of AGE_BANDS.
_BAND_STARTS = (0, 6, 10, 13, 15, 18, 25, 30, 65)
ADULT_AGE = 18
GUARDIAN_REQUIRED_BELOW = 15


def age_in(year: int, birth_year: int) -> int:
    """Age reached during ``year``; birth dates are not collected, so this is the best we know."""
    return year - birth_year


def age_band(age: int) -> str:
    """The evaluation band that ``age`` falls in."""
    if age < 0:
        raise ValueError("negative age")
    band = AGE_BANDS[0]
    for start, name in zip(_BAND_STARTS, AGE_BANDS, strict=True):
        if age >= start:
            band = name
    return band


# What a volunteer can tell at a glance when counting anonymous people at the door. Stored as
# counted: mapping "child" onto one evaluation band would invent precision the count lacks.
HEADCOUNT_GROUPS = ("child", "youth", "adult", "senior")
