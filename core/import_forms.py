"""The upload form of every import page (core.importing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(".csv (UTF-8) or .xlsx, at most 100,000 rows and 50 MB"),
    )
