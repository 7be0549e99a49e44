"""Suppliers see only their own company — checked over every route the project has.

These tests walk the URL configuration and the API router instead of listing routes by hand,
so a route added later is covered without anyone remembering to add it here. They run on the
demo portfolio, where Voltaris (supplier user ``lena``) and GreenPack (``joost``) both have
data in every app.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.models import User
from partners.models import Partner
from srm.demo import seed_demo

pytestmark = pytest.mark.django_db

# Routes that are public by design or not partner data at all.
PUBLIC_OR_NEUTRAL = re.compile(
    r"^(accounts/|admin/|healthz|readyz|api/schema|api/docs|static/|media/|i18n/|__)"
)


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _routes() -> list[tuple[str, list[str]]]:
    routes = []
    for route, _pattern in _walk(get_resolver()):
        route = route.lstrip("^").rstrip("$")
        if PUBLIC_OR_NEUTRAL.match(route) or route.startswith("api/v1/"):
            continue
        if "(?P<format>" in route or "\\.(?P" in route:
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
        names = [a or b for a, b in params]
        routes.append((route, names))
    return routes


def _partner_path(model: type[models.Model], depth: int = 4) -> str | None:
    """The ORM lookup from ``model`` to its Partner (e.g. ``scorecard__partner``), if any."""
    if model is Partner:
        return "pk"
    queue: deque[tuple[type[models.Model], str, int]] = deque([(model, "", 0)])
    while queue:
        current, path, level = queue.popleft()
        for field in current._meta.get_fields():
            if not isinstance(field, models.ForeignKey | models.OneToOneField):
                continue
            if not field.concrete:
                continue
            target = field.related_model
            lookup = f"{path}__{field.name}" if path else field.name
            if target is Partner:
                return lookup
            if level + 1 < depth and isinstance(target, type):
                queue.append((target, lookup, level + 1))
    return None


# URL parameters whose name is not the model's.
PARAM_MODELS = {
    "document_id": "partners.AgreementDocument",
    "assessment_id": "partners.ReadinessAssessment",
    "item_id": "partners.SupplyItem",
    "benchmark_id": "partners.PriceBenchmark",
    "contact_id": "partners.SupplierContact",
    "attachment_id": "governance.MeetingAttachment",
    "action_id": "governance.ActionItem",
    "plan_id": "governance.JointBusinessPlan",
    "milestone_id": "governance.PlanMilestone",
    "initiative_id": "governance.InnovationInitiative",
    "proposal_id": "governance.ChallengeProposal",
    "invitation_id": "partners.PartnerInvitation",
    "survey_id": "scorecards.HealthSurvey",
}
# Parameters that are not records: a plain value to fill in.
PARAM_VALUES = {"fmt": "csv"}


def _model_for_param(param: str) -> type[models.Model] | None:
    """Guess the model a URL parameter names: ``meeting_id`` → Meeting, ``pk`` → None."""
    if param in PARAM_MODELS:
        return apps.get_model(PARAM_MODELS[param])
    base = param.removesuffix("_id").removesuffix("_pk").replace("_", "")
    if base in {"pk", "id", "token", "uidb64", "year", "format", "path"}:
        return None
    candidates = [
        m
        for m in apps.get_models()
        if m._meta.model_name == base
        and m._meta.app_label in {"partners", "scorecards", "governance"}
    ]
    return candidates[0] if len(candidates) == 1 else None


def _fill(route: str, values: dict[str, Any]) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return str(values[name])

    path = re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", repl, route)
    return "/" + path


def _give_voltaris_a_record_of_every_kind(voltaris: Partner, lena: User) -> None:
    """The demo has no Voltaris benchmark, document, attachment, escalation, proposal,
    dispute or invitation; add one of each so the pages that show them are probed too."""
    from datetime import date
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.roles import SYSTEM
    from governance.services import escalations as governance_escalations
    from governance.services import innovation as governance_innovation
    from governance.services import meetings as governance_meetings
    from partners.services import agreements, invitations, records
    from scorecards.models import Period
    from scorecards.services.disputes import dispute_raise

    records.benchmark_save(
        actor=SYSTEM,
        partner=voltaris,
        changes={
            "item": "NMC 811 cell",
            "partner_price": Decimal("92"),
            "market_price": Decimal("90"),
            "as_of": date(2026, 10, 1),
        },
    )
    agreements.agreement_document_add(
        actor=SYSTEM,
        agreement=voltaris.agreements.order_by("pk").first(),
        file=SimpleUploadedFile("jv.pdf", b"%PDF-1.4 secret terms"),
    )
    governance_meetings.attachment_add(
        actor=SYSTEM,
        meeting=voltaris.meetings.order_by("pk").first(),
        file=SimpleUploadedFile("minutes.txt", b"confidential minutes"),
    )
    governance_escalations.escalation_raise(
        actor=SYSTEM, partner=voltaris, title="Separator film shortage"
    )
    challenge = governance_innovation.challenge_publish(
        actor=SYSTEM, title="Cell recycling", problem_statement="Closed loop", partners=[voltaris]
    )
    governance_innovation.proposal_submit(
        actor=lena, challenge=challenge, partner=voltaris, title="Hydromet", description="Pilot"
    )
    invitations.invitation_send(
        actor=User.objects.get(username="priya"),
        contact=voltaris.contacts.exclude(email="").order_by("pk").first(),
    )
    period = Period.objects.filter(scorecard__partner=voltaris, status="closed").latest("end")
    dispute_raise(actor=lena, period=period, reason="Yield data was late", today=period.end)


@pytest.fixture
def demo() -> dict[str, Any]:
    seed_demo()
    voltaris = Partner.objects.get(short_name="Voltaris")
    greenpack = Partner.objects.get(short_name="GreenPack")
    _give_voltaris_a_record_of_every_kind(voltaris, User.objects.get(username="lena"))
    return {
        "voltaris": voltaris,
        "greenpack": greenpack,
        "lena": User.objects.get(username="lena"),
        "joost": User.objects.get(username="joost"),
    }


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_without_parameters_never_show_another_partner(demo) -> None:
    """Every page a supplier can open names no other partner of the portfolio."""
    client = _client(demo["joost"])
    others = list(
        Partner.objects.exclude(pk=demo["greenpack"].pk).values_list("legal_name", flat=True)
    )
    checked = 0
    for route, params in _routes():
        if params:
            continue
        response = client.get(_fill(route, {}))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        leaked = [name for name in others if name in body]
        assert not leaked, f"/{route} shows {leaked} to a GreenPack user"
        checked += 1
    assert checked >= 1  # at least the portal home was seen


def test_pages_about_another_partners_records_are_closed(demo) -> None:
    """Every page whose URL names a record refuses the record of another partner."""
    client = _client(demo["joost"])
    voltaris = demo["voltaris"]
    checked = []
    no_demo_record: list[str] = []
    posted: list[str] = []
    for route, params in _routes():
        if not params:
            continue
        values: dict[str, Any] = {}
        for param in params:
            if param in {"partner_id", "partner_pk"}:
                values[param] = voltaris.pk
                continue
            if param in PARAM_VALUES:
                values[param] = PARAM_VALUES[param]
                continue
            model = _model_for_param(param)
            path = _partner_path(model) if model is not None else None
            if model is None or path is None:
                break
            instance = model._default_manager.filter(**{path: voltaris}).order_by("pk").first()
            if instance is None:
                no_demo_record.append(f"{route} ({model.__name__})")
                break
            values[param] = instance.pk
        else:
            url = _fill(route, values)
            response = client.get(url)
            if response.status_code == 405:
                # A form action: posting to another partner's record must be refused too.
                response = client.post(url, {})
                posted.append(url)
                assert response.status_code in (403, 404), (
                    f"POST {url} answered {response.status_code} to another partner's supplier"
                )
            assert response.status_code in (302, 403, 404), (
                f"{url} answered {response.status_code} to another partner's supplier"
            )
            if response.status_code == 302:
                assert (
                    "/accounts/login" in response["Location"]
                    or voltaris.legal_name not in (response["Location"])
                )
            checked.append(url)
    assert any("/partners/" in url for url in checked)
    assert no_demo_record == []
    assert len(posted) >= 5, posted  # the form actions (accept, dispute, status, …) were probed


def _api_list_routes(client: Client) -> dict[str, str]:
    root = client.get("/api/v1/")
    assert root.status_code == 200
    return dict(root.json())


def _results(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict) and "results" in body:
        return list(body["results"])
    return list(body) if isinstance(body, list) else []


def _partner_of(item: dict[str, Any]) -> Any:
    for key in ("partner", "partner_id"):
        if key in item:
            value = item[key]
            return value.get("id") if isinstance(value, dict) else value
    return None


def test_every_api_list_shows_a_supplier_only_its_own_partner(demo) -> None:
    internal = _client(User.objects.get(username="priya"))
    supplier = _client(demo["joost"])
    routes = _api_list_routes(internal)
    assert routes, "the API router lists its resources"
    for name, url in routes.items():
        response = supplier.get(url)
        assert response.status_code in (200, 403, 404), (name, response.status_code)
        if response.status_code != 200:
            continue
        for item in _results(response.json()):
            owner = item["id"] if name == "partners" else _partner_of(item)
            if owner is not None:
                assert owner == demo["greenpack"].pk, f"{name} shows {item} to GreenPack"
        assert demo["voltaris"].legal_name not in response.content.decode(), name


def test_every_api_detail_of_another_partner_is_not_found(demo) -> None:
    internal = _client(User.objects.get(username="priya"))
    supplier = _client(demo["joost"])
    checked = 0
    for name, url in _api_list_routes(internal).items():
        listing = internal.get(url)
        if listing.status_code != 200:
            continue
        for item in _results(listing.json())[:50]:
            owner = item["id"] if name == "partners" else _partner_of(item)
            if owner is None or owner == demo["greenpack"].pk or "id" not in item:
                continue
            detail = supplier.get(f"{url.rstrip('/')}/{item['id']}/")
            assert detail.status_code in (403, 404), (
                f"{name} #{item['id']} of partner {owner} answered {detail.status_code}"
            )
            checked += 1
    assert checked >= 1


# --------------------------------------------------------------------------- filters and HTML
#
# DRF's browsable page and django-filter's related filters once listed every partner, meeting,
# cadence, scorecard and KPI to any signed-in user, and a foreign id filtered to an empty 200
# where an unknown id answered 400. The walk below asks for every list as a browser would
# (``Accept: text/html`` and ``?format=api``) and with every filter set to ids the supplier may
# not see, as each supplier, and compares each foreign id's answer with an unknown id's.

UNKNOWN_ID = 987654321
TITLED_MODELS = [
    "partners.Agreement",
    "partners.SupplierContact",
    "governance.Meeting",
    "governance.ActionItem",
    "governance.Escalation",
    "governance.JointBusinessPlan",
    "governance.PlanObjective",
    "governance.PlanMilestone",
    "governance.InnovationInitiative",
    "governance.ChallengeProposal",
    "governance.LessonLearned",
    "governance.Cadence",
]
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _title_of(instance: models.Model) -> str:
    for field in ("title", "name"):
        if hasattr(instance, field):
            return str(getattr(instance, field))
    raise AssertionError(instance)


def _secrets_for(partner: Partner, user: User) -> list[str]:
    """Names and titles a supplier of ``partner`` must never see: other partners' names, the
    titles of their records, internal meetings and challenges not published to ``partner``."""
    from governance import selectors as governance_selectors
    from governance.models import InnovationChallenge, Meeting

    secrets: set[str] = set()
    for other in Partner.objects.exclude(pk=partner.pk):
        secrets |= {other.legal_name, other.short_name}
    own: set[str] = set()
    for label in TITLED_MODELS:
        model = apps.get_model(label)
        path = _partner_path(model)
        assert path is not None, label
        for instance in model._default_manager.all():
            mine = model._default_manager.filter(pk=instance.pk, **{path: partner}).exists()
            (own if mine else secrets).add(_title_of(instance))
    visible_meetings = governance_selectors.meetings_visible_to(user)
    secrets |= set(Meeting.objects.exclude(pk__in=visible_meetings).values_list("title", flat=True))
    visible_challenges = governance_selectors.challenges_visible_to(user)
    secrets |= set(
        InnovationChallenge.objects.exclude(pk__in=visible_challenges).values_list(
            "title", flat=True
        )
    )
    # A title the supplier's own records share (e.g. "Quarterly business review") says nothing.
    return sorted(s for s in secrets - own if len(s) >= 6)


def _related_filters(url: str) -> dict[str, type[models.Model]]:
    """The related (id) filters of the API list at ``url`` and the model each one names."""
    from urllib.parse import urlparse

    import django_filters
    from django.urls import resolve
    from django_filters.filterset import filterset_factory

    view = resolve(urlparse(url).path).func.cls  # type: ignore[attr-defined]
    filterset = getattr(view, "filterset_class", None)
    if filterset is None:
        fields = getattr(view, "filterset_fields", None)
        if not fields:
            return {}
        serializer = getattr(view, "serializer_class", None)
        if serializer is None:
            # A view that picks its serializer per request (per role): ask it as the schema
            # generator does, which needs no user.
            probe = view()
            probe.swagger_fake_view = True
            serializer = probe.get_serializer_class()
        model = getattr(view, "model", None) or serializer.Meta.model
        filterset = filterset_factory(model, fields=fields)
    related = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)
    return {
        name: f.queryset.model
        for name, f in filterset.base_filters.items()
        if isinstance(f, related)
    }


def _foreign_id(model: type[models.Model], partner: Partner, user: User) -> int:
    """The id of a ``model`` row that belongs to a partner other than ``partner``."""
    from governance.models import InnovationChallenge
    from governance.selectors import challenges_visible_to
    from scorecards.models import KpiDefinition

    if model is InnovationChallenge:
        row: Any = InnovationChallenge.objects.exclude(pk__in=challenges_visible_to(user))
    elif model is User:
        return User.objects.get(username="priya").pk
    elif model is KpiDefinition:
        own_templates = partner.scorecards.values("template")
        row = KpiDefinition.objects.exclude(perspective__template__in=own_templates)
    else:
        path = _partner_path(model)
        assert path is not None, model
        row = model._default_manager.exclude(**{path: partner.pk})
    found = row.order_by("pk").first()
    assert found is not None, f"the demo has no {model.__name__} of another partner"
    return int(found.pk)


def _assert_nothing_foreign(body: str, secrets: list[str], where: str) -> None:
    leaked = [secret for secret in secrets if secret in body]
    assert not leaked, f"{where} shows {leaked[:5]}"


@pytest.mark.parametrize("supplier", ["lena", "joost"])
def test_api_lists_as_html_and_with_foreign_filters_reveal_nothing(demo, supplier) -> None:
    user = demo[supplier]
    partner = demo["voltaris"] if supplier == "lena" else demo["greenpack"]
    secrets = _secrets_for(partner, user)
    client = _client(user)
    routes = _api_list_routes(_client(User.objects.get(username="priya")))
    probed_filters = 0
    for name, url in routes.items():
        # As a browser asks, and as the browsable API's own link asks.
        for response in (
            client.get(url, HTTP_ACCEPT=HTML_ACCEPT),
            client.get(url, {"format": "api"}),
            client.get(url, {"format": "api"}, HTTP_ACCEPT="text/html"),
        ):
            assert response.status_code in (200, 403, 404), (name, response.status_code)
            assert "text/html" not in response["Content-Type"], (
                f"{name} answered the browsable HTML page to a supplier"
            )
            _assert_nothing_foreign(response.content.decode(), secrets, f"{url} as HTML")
        filters = _related_filters(url)
        foreign = {param: _foreign_id(model, partner, user) for param, model in filters.items()}
        for param, foreign_id in foreign.items():
            for accept in ("application/json", HTML_ACCEPT):
                seen = client.get(url, {param: foreign_id}, HTTP_ACCEPT=accept)
                unknown = client.get(url, {param: UNKNOWN_ID}, HTTP_ACCEPT=accept)
                assert seen.status_code == unknown.status_code, (
                    f"{url}?{param}={foreign_id} (another partner's) answered "
                    f"{seen.status_code}, an unknown id {unknown.status_code}"
                )
                assert seen.content == unknown.content, (
                    f"{url}?{param}= answers a foreign id unlike an unknown one"
                )
                _assert_nothing_foreign(seen.content.decode(), secrets, f"{url}?{param}=")
                probed_filters += 1
        if foreign:
            together = client.get(url, {**foreign, "format": "api"})
            _assert_nothing_foreign(together.content.decode(), secrets, f"{url} all filters")
    assert probed_filters >= 20  # partner, meeting, cadence, scorecard, period, KPI, …


PAGE_FILTER_PARAMS = ["partner", "owner", "meeting", "cadence", "scorecard", "period", "kpi"]


@pytest.mark.parametrize("supplier", ["lena", "joost"])
def test_pages_with_foreign_filter_values_reveal_nothing(demo, supplier) -> None:
    """Every page without URL parameters, opened with each filter-like query parameter set to
    another partner's id, still names no other partner and no record of theirs."""
    from governance.models import Cadence, Meeting
    from scorecards.models import KpiDefinition, Period, Scorecard

    user = demo[supplier]
    partner = demo["voltaris"] if supplier == "lena" else demo["greenpack"]
    secrets = _secrets_for(partner, user)
    client = _client(user)
    models_of = {
        "partner": Partner,
        "owner": User,
        "meeting": Meeting,
        "cadence": Cadence,
        "scorecard": Scorecard,
        "period": Period,
        "kpi": KpiDefinition,
    }
    query = {param: _foreign_id(models_of[param], partner, user) for param in PAGE_FILTER_PARAMS}
    checked = 0
    for route, params in _routes():
        if params:
            continue
        response = client.get(_fill(route, {}), query, HTTP_ACCEPT=HTML_ACCEPT)
        if response.status_code != 200 or response.streaming:
            continue
        _assert_nothing_foreign(response.content.decode(), secrets, f"/{route}?…foreign ids")
        checked += 1
    assert checked >= 1


def test_internal_users_get_the_browsable_api_with_every_partner(demo, settings) -> None:
    """Internal users keep the browsable API where it is enabled, filter form included."""
    client = _client(User.objects.get(username="priya"))
    page = client.get("/api/v1/governance/meetings/", HTTP_ACCEPT=HTML_ACCEPT)
    assert page.status_code == 200
    assert "text/html" in page["Content-Type"]
    assert ">Voltaris<" in page.content.decode()  # the partner filter lists it

    settings.SRM_BROWSABLE_API = False  # production's default
    plain = client.get("/api/v1/governance/meetings/", {"format": "api"}, HTTP_ACCEPT=HTML_ACCEPT)
    assert plain.status_code == 200
    assert plain["Content-Type"] == "application/json"
    assert "results" in plain.json()


def test_a_related_filter_without_a_scope_is_refused() -> None:
    """A view that adds a related filter without naming its scope fails loudly, not leakily."""
    from django.core.exceptions import ImproperlyConfigured
    from django_filters.filterset import filterset_factory

    from governance.models import ActionItem
    from partners.api_filters import scope_filterset

    filterset = filterset_factory(ActionItem, fields=["partner", "meeting"])(data={})
    with pytest.raises(ImproperlyConfigured, match="meeting"):
        scope_filterset(filterset, None, {})
