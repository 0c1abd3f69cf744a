"""Age bands as the evaluations report them (CONTEXT.md)."""

from __future__ import annotations

from checkin.vocabulary import AgeBand, HeadcountGroup

# Lower bound of each band, in the order of AgeBand.
_BAND_STARTS = (0, 6, 10, 13, 15, 18, 25, 30, 65)
GUARDIAN_REQUIRED_BELOW = 15


def age_in(year: int, birth_year: int) -> int:
    """Age reached during ``year``; birth dates are not collected, so this is the best we know."""
    return year - birth_year


def age_band(age: int) -> AgeBand:
    """The evaluation band that ``age`` falls in."""
    if age < 0:
        raise ValueError("negative age")
    band = AgeBand.AGE_0_5
    for start, member in zip(_BAND_STARTS, AgeBand, strict=True):
        if age >= start:
            band = member
    return band


# The groups in order, for the desk pages and API schema that still import them from here.
HEADCOUNT_GROUPS: tuple[HeadcountGroup, ...] = tuple(HeadcountGroup)
