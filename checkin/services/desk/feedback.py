"""Anonymous satisfaction smileys per session."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from checkin.extensions import db
from checkin.models import Feedback, Occurrence
from checkin.services.errors import DomainError
from checkin.vocabulary import FeedbackSource, member_or_none


def record_feedback(
    session: Occurrence, *, score: int, at: datetime, source: str = FeedbackSource.KIOSK
) -> Feedback:
    """Store one anonymous smiley for ``session``: a whole score from 1 (sad) to 5 (happy), from
    the door kiosk or a feedback link. Nothing identifies who gave it."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError("invalid_score", _l("Choose a smiley from 1 to 5."), field="score")
    known_source = member_or_none(FeedbackSource, source)
    if known_source is None:
        raise DomainError("invalid_source", _l("Unknown feedback source."), field="source")
    feedback = Feedback(session_id=session.id, score=score, source=known_source, created_at=at)
    db.session.add(feedback)
    db.session.flush()
    return feedback
