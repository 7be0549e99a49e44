"""Lessons learned (SPEC 2.9) per partnership, searchable across the portfolio."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, require
from core.services import audit_record
from governance.models import LessonLearned
from partners.models import Partner


@transaction.atomic
def lesson_record(
    *, actor: Actor, partner: Partner, title: str, body: str, tags: Sequence[str] = ()
) -> LessonLearned:
    """Record a lesson learned with a partner; refuses one without text."""
    require(actor, Capability.MANAGE_GOVERNANCE)
    if not body.strip():
        raise FieldErrors({"body": [_("Write down the lesson.")]})
    lesson = LessonLearned(
        partner=partner,
        title=title,
        body=body,
        tags=list(tags),
        recorded_by=actor if isinstance(actor, User) else None,
    )
    lesson.full_clean()
    lesson.save()
    audit_record(actor=actor, action="lesson.record", obj=lesson)
    return lesson
