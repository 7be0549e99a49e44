"""The template editor page: start from a version or blank, check as you type with the
engine's errors, save the next version; and computed KPIs are refused until they exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import FieldErrors
from scorecards.models import ScorecardTemplate
from scorecards.services.templates import scorecard_template_create
from scorecards.template_input import COMPUTED_NOT_AVAILABLE_MESSAGE
from tests.scorecards.factories import DEFAULT_PERSPECTIVES, default_template, scorecard_for
from tests.scorecards.factories import open_period as open_period_of

pytestmark = pytest.mark.django_db


def _post_from(template: ScorecardTemplate) -> dict[str, str]:
    """The editor's form as the page renders it for ``template`` (no blank rows)."""
    data = {"code": template.code, "name": template.name, "description": ""}
    for pi, p in enumerate(template.perspectives.order_by("position")):
        data |= {f"p{pi}-code": p.code, f"p{pi}-name": p.name, f"p{pi}-weight": str(p.weight)}
        for ki, k in enumerate(p.kpis.order_by("position")):
            prefix = f"p{pi}-k{ki}-"
            data |= {
                prefix + "code": k.code,
                prefix + "name": k.name,
                prefix + "unit": k.unit,
                prefix + "direction": k.direction,
                prefix + "target": str(k.target),
                prefix + "threshold": str(k.threshold),
                prefix + "weight": str(k.weight),
                prefix + "data_source": k.data_source,
                prefix + "aggregation": k.aggregation,
            }
    return data


def test_editor_starts_from_a_version_and_offers_the_next(client_for, procurement_manager):
    template = default_template()
    response = client_for(procurement_manager).get(
        reverse("scorecards:template-edit"), {"from": template.pk}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Save as version 2" in text
    assert 'value="Purchase price variance"' in text and 'name="p0-k0-target"' in text
    # Computed is not offered: nothing would compute it.
    assert 'value="computed"' not in text


def test_blank_editor_starts_with_the_default_weights(client_for, procurement_manager):
    text = client_for(procurement_manager).get(reverse("scorecards:template-edit")).content.decode()
    for code, weight in (("cost", 30), ("innovation", 30), ("quality", 20), ("sustainability", 20)):
        assert f'value="{code}"' in text and f'value="{weight}"' in text
    assert "Save as version 1" in text


def test_bad_weights_re_render_with_field_errors_and_save_nothing(client_for, procurement_manager):
    template = default_template()
    data = _post_from(template) | {"p0-weight": "40", "p0-k0-threshold": "0", "save": "1"}
    response = client_for(procurement_manager).post(reverse("scorecards:template-edit"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Perspective weights must sum to 100 (they sum to 110)." in text
    assert "Target and threshold must differ." in text
    threshold_input = text[text.index('name="p0-k0-threshold"') :].split(">", 1)[0]
    assert 'aria-invalid="true"' in threshold_input
    assert ScorecardTemplate.objects.filter(code=template.code).count() == 1


def test_inline_check_returns_only_the_check_partial(client_for, procurement_manager):
    data = _post_from(default_template()) | {"p1-weight": "25"}
    response = client_for(procurement_manager).post(
        reverse("scorecards:template-edit"), data, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<section id="template-check"')
    assert "(they sum to 95)" in text and ">95<" in text


def test_saving_creates_the_next_version_and_scorecards_keep_theirs(
    client_for, procurement_manager, partner_a
):
    template = default_template()
    scorecard = scorecard_for(partner_a)
    data = _post_from(template) | {
        "p0-weight": "40",
        "p1-weight": "20",
        # A new KPI in the blank row the page offers.
        "p1-k1-code": "pilots",
        "p1-k1-name": "Joint pilots",
        "p1-k1-unit": "",
        "p1-k1-direction": "higher_is_better",
        "p1-k1-target": "3",
        "p1-k1-threshold": "0",
        "p1-k1-weight": "1",
        "p1-k1-data_source": "supplier",
        "p1-k1-aggregation": "sum",
        "save": "1",
    }
    response = client_for(procurement_manager).post(reverse("scorecards:template-edit"), data)
    saved = ScorecardTemplate.objects.get(code=template.code, version=2)
    assert response.status_code == 302 and response["Location"].endswith(f"#template-{saved.pk}")
    weights = dict(saved.perspectives.values_list("code", "weight"))
    assert weights == {"cost": 40, "innovation": 20, "quality": 20, "sustainability": 20}
    pilots = saved.perspectives.get(code="innovation").kpis.get(code="pilots")
    assert (pilots.data_source, pilots.aggregation) == ("supplier", "sum")
    scorecard.refresh_from_db()
    assert scorecard.template_id == template.pk  # kept until upgraded
    listing = client_for(procurement_manager).get(reverse("scorecards:templates")).content.decode()
    assert "version 2" in listing and "Edit as a new version" in listing


def test_try_it_in_the_preview_scores_the_draft(client_for, procurement_manager):
    data = _post_from(default_template()) | {"p0-weight": "50", "p1-weight": "10"}
    data |= {"p0-k0-value": "2.5"}  # ppv 2.5 -> 50; the only value, so overall 50
    response = client_for(procurement_manager).post(reverse("scorecards:preview"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="draft-note"' in text
    assert "Start from template" not in text  # the draft is not any saved template
    assert 'name="p0-weight" value="50"' in text and 'name="p1-weight" value="10"' in text
    assert '<span data-testid="preview-overall">50.0</span>' in text


def test_editor_is_for_scorecard_managers_only(client_for, executive, supplier_a):
    for user in (executive, supplier_a):
        response = client_for(user).get(reverse("scorecards:template-edit"))
        assert response.status_code in (403, 404)


def test_computed_kpis_are_refused_with_a_clear_message(procurement_manager, api_for):
    perspectives = [
        {**p, "kpis": [{**k, "data_source": "computed"} for k in p["kpis"]]}
        for p in DEFAULT_PERSPECTIVES
    ]
    with pytest.raises(FieldErrors) as raised:
        scorecard_template_create(
            actor=procurement_manager, code="auto", name="Auto", perspectives=perspectives
        )
    assert raised.value.errors["perspectives[0].kpis[0].data_source"] == [
        COMPUTED_NOT_AVAILABLE_MESSAGE
    ]
    response = api_for(procurement_manager).post(
        reverse("scorecard-template-list"),
        {"code": "auto", "name": "Auto", "perspectives": perspectives},
        format="json",
    )
    assert response.status_code == 400
    assert "Computed KPIs are not available yet" in str(response.json())
    assert not ScorecardTemplate.objects.filter(code="auto").exists()


def test_a_perspective_without_kpis_is_an_error(client_for, procurement_manager):
    data = {"code": "x", "name": "X", "p0-code": "cost", "p0-name": "Cost", "p0-weight": "100"}
    response = client_for(procurement_manager).post(
        reverse("scorecards:template-edit"), data | {"save": "1"}
    )
    assert response.status_code == 200
    assert "a perspective without KPIs never gets a score" in response.content.decode()
    assert not ScorecardTemplate.objects.filter(code="x").exists()


def test_the_scorecard_page_offers_the_newer_version(client_for, procurement_manager, partner_a):
    template = default_template()
    scorecard = scorecard_for(partner_a)
    client = client_for(procurement_manager)
    page = client.get(reverse("scorecards:detail", args=[scorecard.pk])).content.decode()
    assert "from the open period on" not in page
    client.post(
        reverse("scorecards:template-edit"),
        _post_from(template) | {"name": "Balanced", "save": "1"},
    )
    page = client.get(reverse("scorecards:detail", args=[scorecard.pk])).content.decode()
    assert "Use v2 from the open period on" in page
    response = client.post(reverse("scorecards:upgrade", args=[scorecard.pk]))
    assert response.status_code == 302
    scorecard.refresh_from_db()
    assert scorecard.template.version == 2


def test_preview_page_errors_name_the_perspective_and_kpi(client_for, procurement_manager):
    data = _post_from(default_template()) | {"p0-k0-threshold": "0", "p0-weight": "31"}
    response = client_for(procurement_manager).post(reverse("scorecards:preview"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Cost / Purchase price variance · threshold: Target and threshold must differ." in text
    assert "Perspective weights must sum to 100 (they sum to 101)." in text
    assert "perspectives[0]" not in text


def test_the_admin_shows_template_versions_but_cannot_edit_them(client_for, administrator):
    template = default_template()
    kpi = template.perspectives.first().kpis.first()
    client = client_for(administrator)
    url = reverse("admin:scorecards_kpidefinition_change", args=[kpi.pk])
    assert client.get(url).status_code == 200  # view only
    client.post(url, {"code": kpi.code, "target": "99", "threshold": kpi.threshold})
    kpi.refresh_from_db()
    assert kpi.target != 99
    assert client.get(reverse("admin:scorecards_scorecardtemplate_add")).status_code == 403


def test_an_executive_is_not_offered_data_entry_it_may_not_do(
    client_for, executive, procurement_manager, partner_a
):
    scorecard = scorecard_for(partner_a)
    grid = reverse("scorecards:grid", args=[open_period_of(scorecard).pk])
    detail = reverse("scorecards:detail", args=[scorecard.pk])
    assert grid in client_for(procurement_manager).get(detail).content.decode()
    page = client_for(executive).get(detail).content.decode()
    assert grid not in page and "Import measurements" not in page
    assert client_for(executive).get(grid).status_code == 403


def test_the_inline_check_says_which_version_saving_makes(client_for, procurement_manager):
    data = _post_from(default_template())
    client = client_for(procurement_manager)
    url = reverse("scorecards:template-edit")
    same = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "strategic-balanced version 2</strong> (a new version of an existing template)" in same
    renamed = client.post(url, data | {"code": "fresh"}, headers={"HX-Request": "true"})
    assert "fresh version 1</strong>." in renamed.content.decode()
