"""Forms of the scorecard pages. Domain rules live in services; forms only parse input."""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.numbers import NumberFormatError, decimal_separator_for, parse_decimal
from scorecards.kpi_values import kpi_value_from_text
from scorecards.models import DataSource, Frequency, KpiDefinition, Period, ScorecardTemplate


def kpi_value_from_input(text: str) -> Decimal:
    """A KPI value typed into a page (the buyer's grid, the portal's self-report form), read
    with the decimal mark of the user's language where "1,234" could be read two ways.
    Raises ValidationError with a message for the field."""
    try:
        return kpi_value_from_text(text, ambiguous_as=decimal_separator_for(get_language()))
    except NumberFormatError as error:
        raise forms.ValidationError(str(error), code="invalid") from error


class KpiValueField(forms.CharField):
    """A KPI value as people write it: "2.5", "1,5", "1.234,5" (see kpi_value_from_input)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        return kpi_value_from_input(text) if text else None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("corrected", _("Correct the data and rescore")), ("rejected", _("Reject"))],
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, kpi_codes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in kpi_codes:
            self.fields[f"correct-{code}"] = KpiValueField(
                label=gettext("Corrected %(kpi)s") % {"kpi": name}, required=False
            )

    def corrections(self) -> dict[str, Decimal]:
        return {
            name.removeprefix("correct-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("correct-") and value is not None
        }


class SelfReportForm(forms.Form):
    kpi = forms.ModelChoiceField(queryset=KpiDefinition.objects.none(), label=_("KPI"))
    value = KpiValueField(label=_("Value"))
    measured_on = forms.DateField(
        label=_("Measured on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the whole period."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = KpiDefinition.objects.filter(  # type: ignore[attr-defined]
            perspective__template_id=period.scorecard.template_id,
            data_source=DataSource.SUPPLIER,
        ).order_by("perspective__position", "position")


class DisputeForm(forms.Form):
    """A supplier's dispute: why, and optionally which of the period's scored KPIs."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    kpi_code = forms.ChoiceField(required=False, label=_("KPI (optional)"))

    def __init__(self, *args: Any, kpis: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kpi_code"].choices = [  # type: ignore[attr-defined]
            ("", gettext("The score as a whole")),
            *kpis,
        ]


class ScorecardAddForm(forms.Form):
    """Choose a template (its latest version) for another scorecard of a partner."""

    template_code = forms.ChoiceField(label=_("Template"))
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.QUARTERLY, label=_("Periods")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        latest: dict[str, ScorecardTemplate] = {}
        for template in ScorecardTemplate.objects.order_by("code", "-version"):
            latest.setdefault(template.code, template)
        self.fields["template_code"].choices = [  # type: ignore[attr-defined]
            (code, f"{t.name} (v{t.version})") for code, t in latest.items()
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or XLSX: period, kpi, value, measured_on, comment")
    )


# --- template editor -------------------------------------------------------------------------

PERSPECTIVE_FIELDS = ("code", "name", "weight")
KPI_FIELDS = (
    "code",
    "name",
    "unit",
    "direction",
    "target",
    "threshold",
    "weight",
    "data_source",
    "aggregation",
)
# How the editor's error summary names a field ("Cost / Defects · threshold: ...").
EDITOR_FIELD_LABELS = {
    "code": pgettext_lazy("template field", "code"),
    "name": pgettext_lazy("template field", "name"),
    "unit": pgettext_lazy("template field", "unit"),
    "direction": pgettext_lazy("template field", "direction"),
    "target": pgettext_lazy("template field", "target"),
    "threshold": pgettext_lazy("template field", "threshold"),
    "weight": pgettext_lazy("template field", "weight"),
    "data_source": pgettext_lazy("template field", "data source"),
    "aggregation": pgettext_lazy("template field", "aggregation"),
    "kpis": pgettext_lazy("template field", "KPIs"),
    "row": pgettext_lazy("template field", "row"),
}
# Fields whose emptiness marks a row the user left blank (selects always carry a value).
_KPI_TYPED = ("code", "name", "unit", "target", "threshold", "weight")


def template_draft_from_post(post: QueryDict) -> dict[str, Any]:
    """The template editor's draft from its POST data (``p0-code``, ``p0-k1-target``, ...),
    without the rows the user left blank; numbers stay strings for the service to check."""
    perspectives = []
    p_index = 0
    while f"p{p_index}-code" in post:
        kpis = []
        k_index = 0
        while f"p{p_index}-k{k_index}-code" in post:
            prefix = f"p{p_index}-k{k_index}-"
            kpi = {name: post.get(prefix + name, "").strip() for name in KPI_FIELDS}
            if any(kpi[name] for name in _KPI_TYPED):
                kpis.append(kpi)
            k_index += 1
        perspective: dict[str, Any] = {
            name: post.get(f"p{p_index}-{name}", "").strip() for name in PERSPECTIVE_FIELDS
        }
        if kpis or any(perspective.values()):
            perspectives.append({**perspective, "kpis": kpis})
        p_index += 1
    return {
        "code": post.get("code", "").strip(),
        "name": post.get("name", "").strip(),
        "description": post.get("description", "").strip(),
        "perspectives": perspectives,
    }


_PATH = re.compile(r"^perspectives\[(\d+)\](?:\.kpis\[(\d+)\])?(?:\.(\w+))?$")
_BLANK_KPI = dict.fromkeys(KPI_FIELDS, "") | {
    "direction": "higher_is_better",
    "data_source": "buyer",
    "aggregation": "mean",
}


def template_editor_rows(draft: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """The draft with each field's errors beside it, a summary of every error in words, the
    weight total, and blank rows to add a KPI to each perspective or a new perspective."""
    perspectives = [
        {**p, "errors": {}, "kpis": [{**k, "errors": {}} for k in p["kpis"]]}
        for p in draft["perspectives"]
    ]
    general: list[str] = []
    summary: list[str] = []
    for path, messages_ in errors.items():
        match = _PATH.match(path)
        if match is None or int(match[1]) >= len(perspectives):
            general.extend(
                messages_ if path == "perspectives" else [f"{path}: {m}" for m in messages_]
            )
            continue
        perspective = perspectives[int(match[1])]
        where = (
            perspective["name"]
            or perspective["code"]
            or gettext("Perspective %(number)s") % {"number": int(match[1]) + 1}
        )
        target = perspective
        if match[2] is not None and int(match[2]) < len(perspective["kpis"]):
            target = perspective["kpis"][int(match[2])]
            kpi_name = (
                target["name"]
                or target["code"]
                or gettext("KPI %(number)s") % {"number": int(match[2]) + 1}
            )
            where += f" / {kpi_name}"
        field = match[3] or "row"
        target["errors"].setdefault(field, []).extend(messages_)
        shown = str(EDITOR_FIELD_LABELS.get(field, field.replace("_", " ")))
        summary.extend(f"{where} · {shown}: {m}" for m in messages_)
    for perspective in perspectives:
        perspective["kpis"].append({**_BLANK_KPI, "errors": {}})
    perspectives.append(
        {"code": "", "name": "", "weight": "", "errors": {}, "kpis": [{**_BLANK_KPI, "errors": {}}]}
    )
    total = Decimal(0)
    for perspective in draft["perspectives"]:
        with contextlib.suppress(NumberFormatError):
            total += parse_decimal(str(perspective["weight"]), ambiguous_as=".")
    return {
        **draft,
        "perspectives": perspectives,
        "general_errors": general,
        "summary": general + summary,
        "weight_total": f"{total.normalize():f}" if total.is_finite() else "?",
    }


def preview_draft_from_post(post: QueryDict) -> list[dict[str, Any]]:
    """Perspectives and KPIs (with values) posted by the preview form or by the template
    editor's "try it" button; rows left blank in the editor are skipped."""
    perspectives = []
    p_index = 0
    while f"p{p_index}-code" in post:
        kpis = []
        k_index = 0
        while f"p{p_index}-k{k_index}-code" in post:
            prefix = f"p{p_index}-k{k_index}-"
            kpi = {
                name: post.get(prefix + name, "").strip()
                for name in ("code", "name", "direction", "target", "threshold", "weight", "value")
            }
            if any(kpi[n] for n in ("code", "name", "target", "threshold", "weight", "value")):
                kpis.append(kpi)
            k_index += 1
        code = post.get(f"p{p_index}-code", "").strip()
        weight = post.get(f"p{p_index}-weight", "").strip()
        if code or weight or kpis:
            perspectives.append(
                {
                    "code": code,
                    "name": post.get(f"p{p_index}-name", "").strip() or code,
                    "weight": weight,
                    "kpis": kpis,
                }
            )
        p_index += 1
    return perspectives
