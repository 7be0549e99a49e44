"""Template drafts as JSON-like data (the editor, the API, the what-if preview): parsing them
into engine inputs and every field error they have. Pure: no ORM.

Field paths are the engine's (``perspectives[0].kpis[1].threshold``), so a page or the API
shows each message next to the field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.validators import slug_re
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scorecards import scoring
from scorecards.kpi_values import WEIGHT_DIGITS, WEIGHT_PLACES, number_error
from scorecards.sources import DataSource

# A draft as posted or sent: perspectives of KPIs whose fields are text, numbers or booleans.
type DraftPerspective = Mapping[str, object]

COMPUTED_NOT_AVAILABLE_MESSAGE = gettext_lazy(
    "Computed KPIs are not available yet: nothing in SRM derives their values. "
    "Use buyer (entered by your team) or supplier (self-reported)."
)
CODE_MAX_LENGTH = 40  # perspective and KPI codes
TEMPLATE_CODE_MAX_LENGTH = 60


def _decimal(
    raw: object, path: str, errors: dict[str, list[str]], *, weight: bool = False
) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError, TypeError):
        value = Decimal("NaN")
    if isinstance(raw, bool) or "_" in str(raw):
        value = Decimal("NaN")
    error = (
        number_error(value, digits=WEIGHT_DIGITS, places=WEIGHT_PLACES)
        if weight
        else number_error(value)
    )
    if error is not None:
        errors.setdefault(path, []).append(error)
        return Decimal(1)
    return value


def _is_list(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def template_inputs_from_data(
    perspectives: Sequence[DraftPerspective], *, with_values: bool = False
) -> tuple[scoring.PerspectiveInput, ...]:
    """Turn JSON-like perspective data into engine inputs; raise ScoringInputError (field
    paths like the engine's) on non-numeric numbers or unknown directions."""
    errors: dict[str, list[str]] = {}
    result = []
    if not _is_list(perspectives):
        raise scoring.ScoringInputError({"perspectives": [_("Give a list of perspectives.")]})
    for p_index, p in enumerate(perspectives):
        p_path = f"perspectives[{p_index}]"
        if not isinstance(p, Mapping):
            errors.setdefault(p_path, []).append(_("Give an object."))
            continue
        kpis = []
        raw_kpis = p.get("kpis") or []
        if not isinstance(raw_kpis, Sequence) or isinstance(raw_kpis, str):
            errors.setdefault(f"{p_path}.kpis", []).append(_("Give a list of KPIs."))
            raw_kpis = []
        for k_index, k in enumerate(raw_kpis):
            k_path = f"{p_path}.kpis[{k_index}]"
            if not isinstance(k, Mapping):
                errors.setdefault(k_path, []).append(_("Give an object."))
                continue
            try:
                direction = scoring.KpiDirection(str(k.get("direction")))
            except ValueError:
                errors.setdefault(f"{k_path}.direction", []).append(
                    _("Use higher_is_better or lower_is_better.")
                )
                direction = scoring.KpiDirection.HIGHER_IS_BETTER
            raw_value = k.get("value") if with_values else None
            value = (
                None
                if raw_value is None or raw_value == ""
                else _decimal(raw_value, f"{k_path}.value", errors)
            )
            kpis.append(
                scoring.KpiInput(
                    code=str(k.get("code") or ""),
                    direction=direction,
                    target=_decimal(k.get("target"), f"{k_path}.target", errors),
                    threshold=_decimal(k.get("threshold"), f"{k_path}.threshold", errors),
                    weight=_decimal(k.get("weight"), f"{k_path}.weight", errors, weight=True),
                    value=value,
                )
            )
        result.append(
            scoring.PerspectiveInput(
                code=str(p.get("code") or ""),
                weight=_decimal(p.get("weight"), f"{p_path}.weight", errors, weight=True),
                kpis=tuple(kpis),
            )
        )
    if errors:
        raise scoring.ScoringInputError(errors)
    scoring.validate_template(result)
    return tuple(result)


def scoring_preview(perspectives: Sequence[DraftPerspective]) -> scoring.ScorecardDict:
    """What-if scoring: the same engine as period close, nothing written."""
    return scoring.result_as_dict(
        scoring.score_scorecard(template_inputs_from_data(perspectives, with_values=True))
    )


def _code_errors(code: object, path: str, errors: dict[str, list[str]], max_length: int) -> None:
    text = str(code or "")
    if not text:
        errors.setdefault(path, []).append(_("Give a code."))
    elif not slug_re.fullmatch(text) or len(text) > max_length:
        errors.setdefault(path, []).append(
            _("Use at most %(count)s letters, digits, hyphens or underscores.")
            % {"count": max_length}
        )


def _length_error(text: object, path: str, errors: dict[str, list[str]], max_length: int) -> None:
    if len(str(text or "")) > max_length:
        errors.setdefault(path, []).append(
            _("Use at most %(count)s characters.") % {"count": max_length}
        )


def scorecard_template_errors(perspectives: Sequence[DraftPerspective]) -> dict[str, list[str]]:
    """Every field error of a template draft, keyed by the engine's paths
    (``perspectives[0].kpis[1].threshold``): the engine's rules (weights sum to 100, target
    differs from threshold, ...) plus codes, data sources and aggregations. Empty = valid."""
    errors: dict[str, list[str]] = {}
    try:
        template_inputs_from_data(perspectives)
    except scoring.ScoringInputError as error:
        errors.update({k: list(v) for k, v in error.errors.items()})
    if not _is_list(perspectives):
        return errors
    if not perspectives:
        errors.setdefault("perspectives", []).append(_("Add at least one perspective."))
    for p_index, p in enumerate(perspectives):
        if not isinstance(p, Mapping):
            continue
        _code_errors(p.get("code"), f"perspectives[{p_index}].code", errors, CODE_MAX_LENGTH)
        _length_error(p.get("name"), f"perspectives[{p_index}].name", errors, 80)
        raw_kpis = p.get("kpis")
        if not raw_kpis:
            errors.setdefault(f"perspectives[{p_index}].kpis", []).append(
                _("Add at least one KPI: a perspective without KPIs never gets a score.")
            )
        kpis: Sequence[object] = raw_kpis if isinstance(raw_kpis, Sequence) else []
        for k_index, k in enumerate(kpis):
            if not isinstance(k, Mapping):
                continue
            path = f"perspectives[{p_index}].kpis[{k_index}]"
            _code_errors(k.get("code"), f"{path}.code", errors, CODE_MAX_LENGTH)
            _length_error(k.get("name"), f"{path}.name", errors, 120)
            _length_error(k.get("unit"), f"{path}.unit", errors, 20)
            source = k.get("data_source") or DataSource.BUYER
            if source == DataSource.COMPUTED:
                errors.setdefault(f"{path}.data_source", []).append(
                    str(COMPUTED_NOT_AVAILABLE_MESSAGE)
                )
            elif source not in DataSource.values:
                errors.setdefault(f"{path}.data_source", []).append(_("Use buyer or supplier."))
            if (k.get("aggregation") or "mean") not in scoring.Aggregation:
                errors.setdefault(f"{path}.aggregation", []).append(
                    _("Use mean, sum, last, min or max.")
                )
    return errors


def template_header_errors(code: str, name: str) -> dict[str, list[str]]:
    """Field errors of a template's code (which names it across versions) and name."""
    errors: dict[str, list[str]] = {}
    if not str(name or "").strip():
        errors.setdefault("name", []).append(_("Give the template a name."))
    if not slug_re.fullmatch(str(code or "")) or len(str(code)) > TEMPLATE_CODE_MAX_LENGTH:
        errors.setdefault("code", []).append(
            _("Use at most %(count)s letters, digits, hyphens or underscores.")
            % {"count": TEMPLATE_CODE_MAX_LENGTH}
        )
    return errors
