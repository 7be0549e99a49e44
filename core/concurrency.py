"""Optimistic concurrency: a record users edit carries a ``version``; a write says which version
it was based on, and a write based on an older one is refused instead of silently reverting
what somebody else saved meanwhile.

- :class:`Versioned` is the abstract base: every ``save()`` of an existing row advances
  ``version`` in the same UPDATE (``SET version = version + 1``, read back with RETURNING).
- :func:`version_check` is what a service calls, inside its transaction, with the
  ``expected_version`` the client read: it locks the row and raises :class:`StaleEditError`
  (a ``ConflictError``: 409 on pages and in the API) when the row has moved on.
- :func:`version_etag` / :func:`version_from_etag` are the API's ``ETag`` and ``If-Match``.

``expected_version=None`` means "the caller did not say" (jobs, older API clients): the write
goes ahead and still advances the version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from core.errors import ConflictError, FieldErrors, NotFoundError


class Versioned(models.Model):
    """A record users edit: its ``version`` grows by one with every save of the row."""

    # db_default too: bulk loaders that write SQL (bench, COPY) start rows at version 1.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def save(
        self,
        *,
        force_insert: bool | tuple[models.base.ModelBase, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        if not self._state.adding and self.pk is not None:
            # Advanced by the database in the row's own UPDATE, so two writers never read the
            # same number back; Django returns the new value through RETURNING.
            self.version = models.F("version") + 1
            if update_fields is not None:
                update_fields = {*update_fields, "version"}
        super().save(
            force_insert=force_insert,
            force_update=force_update,
            using=using,
            update_fields=update_fields,
        )


class StaleEditError(ConflictError):
    """The write was based on ``expected_version`` but the record is at ``current_version``:
    somebody saved it in between. Pages re-render the form with what changed meanwhile and the
    user's input kept; the API answers 409 (body version) or 412 (If-Match)."""

    def __init__(self, instance: Versioned, *, expected_version: int, current_version: int):
        self.instance = instance
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"This {instance._meta.verbose_name} was changed by someone else since you opened "
            f"it (you had version {expected_version}, it is now at version {current_version})."
        )


def version_check(instance: Versioned, expected_version: int | None) -> None:
    """Lock ``instance``'s row and refuse the write if it is no longer at
    ``expected_version``. Call inside the service's ``transaction.atomic()`` before saving;
    the lock holds until the commit, so a second writer waits and then sees the new version."""
    if expected_version is None or instance.pk is None:
        return
    current = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None:
        raise NotFoundError(_("No such %(record)s.") % {"record": instance._meta.verbose_name})
    if current != expected_version:
        raise StaleEditError(
            instance, expected_version=expected_version, current_version=int(current)
        )


def version_etag(instance: Versioned) -> str:
    """The strong ``ETag`` of a record's current version: ``"<label>:<pk>:v<version>"``."""
    return f'"{instance._meta.label_lower}:{instance.pk}:v{instance.version}"'


def version_from_etag(header: str, instance: Versioned) -> int | None:
    """The version an ``If-Match`` header names for ``instance``, ``None`` for ``*``; raises
    ``ValueError`` for a tag that is not one of this record's (answered 412)."""
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return None
    prefix = f'"{instance._meta.label_lower}:{instance.pk}:v'
    for tag in tags:
        tag = tag.removeprefix("W/")
        if tag.startswith(prefix) and tag.endswith('"') and tag[len(prefix) : -1].isdigit():
            return int(tag[len(prefix) : -1])
    raise ValueError("The If-Match header names no version of this record.")


def version_of(value: Any) -> int | None:
    """A client's ``version`` (form field or JSON body) as an int, ``None`` when not sent."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise FieldErrors({"version": [_("The version must be a whole number.")]}) from exc
    return number
