"""Form helpers every app's pages use."""

from __future__ import annotations

from django import forms

from core.errors import FieldErrors


def add_field_errors(form: forms.BaseForm, error: FieldErrors) -> None:
    """Show a service's field errors on the matching form fields, else above the form.

    A service may name a field by a dotted path (``measurements[1].value`` or
    ``agreement.notice_days``); the last part is tried when the whole path is no form field.
    """
    for key, messages in error.errors.items():
        name = key if key in form.fields else key.rsplit(".", 1)[-1]
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
