"""Form helpers every app's pages use."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest

from core.concurrency import StaleEditError, version_of
from core.errors import FieldErrors
from core.history import changes_since


def add_field_errors(form: forms.BaseForm, error: FieldErrors) -> None:
    """Show a service's field errors on the matching form fields, else above the form.

    A service may name a field by a dotted path (``measurements[1].value`` or
    ``agreement.notice_days``); the last part is tried when the whole path is no form field.
    """
    for key, messages in error.errors.items():
        name = key if key in form.fields else key.rsplit(".", 1)[-1]
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def posted_version(request: HttpRequest) -> int | None:
    """The record version an edit form was rendered with (its hidden ``version`` input, see
    ``templates/core/_version.html``); None when the form sent none."""
    return version_of(request.POST.get("version"))


def conflict_show(form: forms.BaseForm, error: StaleEditError) -> int:
    """A stale save: say above the form what changed meanwhile (field: the value the user saw
    → the current value, and who) and keep the user's input. Returns the current version,
    for the form's hidden input, so that saving again is a deliberate overwrite."""
    record = error.instance._meta.verbose_name
    form.add_error(
        None,
        f"Someone else saved this {record} after you opened it, so your changes were not "
        "saved. Your input is kept below; check it against what changed and save again to "
        "keep yours, or cancel.",
    )
    for change in changes_since(error.instance, error.expected_version):
        form.add_error(None, f"{change.field}: {change.yours} → {change.current} (by {change.who})")
    return error.current_version


def conflict_message(error: StaleEditError, yours: str) -> str:
    """The conflict as one message, for a one-field inline form (a status, a resolution) whose
    page shows it above the list: what changed meanwhile and what the user had entered."""
    changed = "; ".join(
        f"{c.field}: {c.yours} → {c.current} (by {c.who})"
        for c in changes_since(error.instance, error.expected_version)
    )
    record = error.instance._meta.verbose_name
    return (
        f"Someone else changed this {record} after you opened the page"
        f"{': ' + changed if changed else ''}. Yours was not saved ({yours}); "
        "save again if you still want it."
    )
