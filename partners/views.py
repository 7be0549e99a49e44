"""Partner pages. The partner page itself is composed in srm.partner_page.

Views are thin: parse with a form, fetch through an access check, call a service, render.
Service field errors are added to the form, which re-renders with status 200 (htmx swaps it);
other domain errors reach core.middleware.DomainErrorMiddleware. Every service checks its
actor's role itself; a view checks a capability only to gate the page it shows (a role that
may not use a form is not shown it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.concurrency import StaleEditError
from core.errors import FieldErrors
from core.forms import add_field_errors, conflict_show, posted_version
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from partners import forms, matrix, selectors
from partners.access import access_partner, partners_visible_to, require_capability
from partners.kraljic import EngagementModel, Quadrant
from partners.labels import in_sentence
from partners.lifecycle import LifecycleStage
from partners.models import (
    Agreement,
    AgreementDocument,
    Category,
    EngagementPlaybook,
    Partner,
    PriceBenchmark,
    ReadinessAssessment,
    SupplierContact,
    SupplyItem,
)
from partners.return_to import partner_page_url
from partners.services import agreements, playbooks, records, segmentation
from partners.services import partners as partner_services
from partners.services import readiness as readiness_services

FILTER_KEYS = (
    "q",
    "engagement_model",
    "quadrant",
    "lifecycle_stage",
    "owner",
    "category",
    "flagged",
    "sort",
)

SORT_CHOICES = (
    ("name", gettext_lazy("Name")),
    ("-spend", gettext_lazy("Spend, highest first")),
    ("-flags", gettext_lazy("Most flags")),
    ("stage", gettext_lazy("Stage")),
    ("country", gettext_lazy("Country")),
)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@vary_on_headers("HX-Request")
def partner_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    params = {key: request.GET.get(key, "") for key in FILTER_KEYS}
    partners = selectors.partner_list_filtered(request.user, params)
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in params.items() if v})
    context = {
        "page": page,
        "params": params,
        "query": query.urlencode(),
        "q": params["q"],
        "engagement_models": [(m.value, m.label) for m in EngagementModel],
        "quadrants": [(q.value, q.label) for q in Quadrant],
        "stages": [(s.value, s.label) for s in LifecycleStage],
        "owners": selectors.partner_owners(),
        "categories": Category.objects.all(),
        "sorts": SORT_CHOICES,
        "can_edit": _actor(request).can(Capability.EDIT_PARTNERS),
    }
    return render_page(request, "partners/list.html", context, partial="results")


@login_required
def partner_export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or XLSX; text cells that look like formulas are quoted."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Export as .csv or .xlsx.")
    params = {key: request.GET.get(key, "") for key in FILTER_KEYS}
    content, content_type = selectors.partner_export(
        selectors.partner_list_filtered(request.user, params), fmt
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="partners.{fmt}"'
    return response


@login_required
def kraljic_matrix_view(request: HttpRequest) -> HttpResponse:
    """The Kraljic matrix as a bubble chart (x supply risk, y profit impact, size spend; one
    bubble per cell of partners), and the segmented partners, 50 per page."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    page = Paginator(matrix.matrix_partners(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/matrix.html",
        {"bubbles": matrix.kraljic_bubbles(request.user), "page": page},
    )


def _form_page(
    request: HttpRequest,
    *,
    title: str,
    partner: Partner | None,
    form: django_forms.BaseForm,
    save: Callable[[], object],
    intro: str = "",
    extra: dict[str, Any] | None = None,
    multipart: bool = False,
    version: int | None = None,
    history_of: tuple[str, int] | None = None,
    success: str = "",
) -> HttpResponse:
    """Validate, call the service, redirect to the partner page with the ``success`` message;
    errors re-render with 200, a stale edit (somebody saved meanwhile) with 409 and what
    changed. A file chosen on a form that did not save is not kept: the form says so at the
    file field, so nobody assumes it was attached."""
    status = 200
    if request.method == "POST" and version is not None:
        # Until the save succeeds the form stays on the version the user read.
        version = posted_version(request) or version
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except StaleEditError as exc:
            version = conflict_show(form, exc)
            status = 409
        except FieldErrors as exc:
            add_field_errors(form, exc)
        else:
            messages.success(request, success or _("Saved."))
            target = partner_page_url(request, partner) if partner else reverse("partners:list")
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    if request.method == "POST":
        for name, upload in request.FILES.items():
            if name in form.fields and isinstance(upload, UploadedFile):
                form.add_error(
                    name,
                    _(
                        "“%(file)s” was not attached because the form has errors: "
                        "choose the file again before saving."
                    )
                    % {"file": upload.name},
                )
    context = {
        "title": title,
        "partner": partner,
        "form": form,
        "intro": intro,
        "multipart": multipart,
        "version": version,
        # The edited record's history panel (srm.history): its kind and id.
        "history_kind": history_of[0] if history_of else None,
        "history_pk": history_of[1] if history_of else None,
        "return_url": partner_page_url(request, partner) if partner else None,
        **(extra or {}),
    }
    return render_page(request, "partners/form.html", context, partial="form", status=status)


@login_required
@vary_on_headers("HX-Request")
def partner_create_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    if _wants_playbook_preview(request):
        return _playbook_preview(request, current=None)
    form = forms.PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = partner_services.partner_create(actor=_actor(request), fields=form.changes())
        except FieldErrors as exc:
            add_field_errors(form, exc)
        else:
            messages.success(request, _("Created %(name)s.") % {"name": partner.short_name})
            return redirect("partner-page", partner.pk)
    # The playbook preview follows the chosen model; an invalid choice (a form error) shows
    # the default one instead of failing.
    chosen = form["engagement_model"].value()
    model = (
        EngagementModel(chosen)
        if chosen in {m.value for m in EngagementModel}
        else EngagementModel.TRANSACTIONAL
    )
    context = {
        "title": _("New partner"),
        "form": form,
        "partner": None,
        "playbook": selectors.playbook_for_model(model),
        "playbook_current": False,
    }
    return render_page(request, "partners/form.html", context, partial="form")


@login_required
@vary_on_headers("HX-Request")
def partner_edit_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Edit the record; changing the engagement model previews and records the new playbook."""
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    if _wants_playbook_preview(request):
        return _playbook_preview(request, current=partner.engagement_model)
    model_before = partner.engagement_model
    form = forms.PartnerForm(request.POST or None, instance=partner)

    def save() -> None:
        partner_services.partner_update(
            actor=_actor(request),
            partner=partner,
            changes=form.changes(),
            expected_version=posted_version(request),
        )
        if partner.engagement_model != model_before:
            messages.info(
                request,
                _(
                    "%(name)s is now a %(model)s partner. Use “Apply this playbook” below to "
                    "add the meeting series and the scorecard that model prescribes."
                )
                % {
                    "name": partner.short_name,
                    "model": in_sentence(partner.get_engagement_model_display()),
                },
            )

    return _form_page(
        request,
        title=_("Edit %(name)s") % {"name": partner.short_name},
        partner=partner,
        form=form,
        save=save,
        extra={"playbook": selectors.playbook_for(partner), "playbook_current": True},
        version=partner.version,
        history_of=("partner", partner.pk),
        success=_("Saved %(name)s.") % {"name": partner.short_name},
    )


def _wants_playbook_preview(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", False)
    return request.method == "GET" and bool(htmx) and "engagement_model" in request.GET


def _playbook_preview(request: HttpRequest, current: str | None) -> HttpResponse:
    """What the chosen engagement model's playbook brings (the edit form's HTMX fragment)."""
    try:
        model = EngagementModel(request.GET["engagement_model"])
    except ValueError as exc:
        raise Http404(_("No such engagement model.")) from exc
    playbook = selectors.playbook_for_model(model)
    context = {"playbook": playbook, "playbook_current": model == current}
    return render(request, "partners/form.html#playbook", context)


@login_required
@vary_on_headers("HX-Request")
def partner_transition_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    form = forms.TransitionForm(
        request.POST or None, current=LifecycleStage(partner.lifecycle_stage)
    )
    return _form_page(
        request,
        title=_("Move %(name)s in the lifecycle") % {"name": partner.short_name},
        intro=_("Now: %(stage)s. Every move is recorded with why.")
        % {"stage": partner.get_lifecycle_stage_display()},
        partner=partner,
        form=form,
        extra={
            "confirm": {
                "message": _(
                    "Exit %(name)s? The partnership ends; this is recorded with the lessons "
                    "learned and cannot be undone."
                )
                % {"name": partner.short_name},
                "field": "to_stage",
                "value": LifecycleStage.EXITED.value,
            }
        },
        save=lambda: partner_services.partner_transition(
            actor=_actor(request),
            partner=partner,
            to_stage=form.cleaned_data["to_stage"],
            reason=form.cleaned_data["reason"],
            lessons_learned=form.cleaned_data["lessons_learned"],
        ),
        success=_("%(name)s: lifecycle move recorded.") % {"name": partner.short_name},
    )


@login_required
@vary_on_headers("HX-Request")
def segmentation_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    latest = partner.segmentations.order_by("-assessed_at", "-id").first()
    form = forms.SegmentationForm(
        request.POST or None, initial=dict(latest.ratings) if latest else None
    )
    return _form_page(
        request,
        title=_("Kraljic segmentation of %(name)s") % {"name": partner.short_name},
        intro=_(
            "Rate each factor 1-5 (5 = more impact or more risk; few alternatives = 5). "
            "A score above 3 counts as high. An override needs a justification."
        ),
        partner=partner,
        form=form,
        save=lambda: segmentation.segmentation_assess(
            actor=_actor(request),
            partner=partner,
            ratings=form.ratings(),
            category=form.cleaned_data["category"],
            override_quadrant=form.cleaned_data["override_quadrant"] or None,
            override_justification=form.cleaned_data["override_justification"],
        ),
        extra={
            "segmentation_history": partner.segmentations.select_related(
                "assessed_by", "category"
            ).order_by("-assessed_at", "-id")
        },
        success=_("Segmentation saved."),
    )


@login_required
@vary_on_headers("HX-Request")
def readiness_create_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.RUN_ASSESSMENTS)
    partner = access_partner(request.user, partner_id)
    form = forms.ReadinessForm(
        request.POST or None, criteria=selectors.readiness_template_current()
    )
    return _form_page(
        request,
        title=_("Readiness & alignment of %(name)s") % {"name": partner.short_name},
        intro=_(
            "Rate each criterion 1-5. Other assessors add their ratings afterwards; "
            "the result uses the mean per criterion. Internal only."
        ),
        partner=partner,
        form=form,
        save=lambda: readiness_services.readiness_assessment_create(
            actor=_actor(request),
            partner=partner,
            assessed_on=form.cleaned_data["assessed_on"],
            ratings=form.ratings(),
        ),
        success=_("Readiness assessment saved."),
    )


@login_required
@vary_on_headers("HX-Request")
def readiness_rate_view(request: HttpRequest, partner_id: int, assessment_id: int) -> HttpResponse:
    require_capability(request.user, Capability.RUN_ASSESSMENTS)
    partner = access_partner(request.user, partner_id)
    assessment = get_object_or_404(ReadinessAssessment, pk=assessment_id, partner=partner)
    mine = assessment.ratings.filter(assessor=_actor(request)).first()
    form = forms.ReadinessForm(
        request.POST or None,
        criteria=selectors.readiness_criteria(assessment),
        rating_only=True,
        initial=mine.ratings if mine else None,
    )
    return _form_page(
        request,
        title=_("Your ratings for %(name)s (%(date)s)")
        % {"name": partner.short_name, "date": date_format(assessment.assessed_on)},
        intro=_("Leave a criterion blank if you cannot judge it."),
        partner=partner,
        form=form,
        save=lambda: readiness_services.readiness_rating_add(
            actor=_actor(request), assessment=assessment, ratings=form.ratings()
        ),
        success=_("Your ratings are saved."),
    )


@login_required
@vary_on_headers("HX-Request")
def agreement_view(
    request: HttpRequest, partner_id: int, agreement_id: int | None = None
) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    agreement = (
        get_object_or_404(Agreement, pk=agreement_id, partner=partner) if agreement_id else None
    )
    form = forms.AgreementForm(request.POST or None, request.FILES or None, instance=agreement)

    def save() -> None:
        fields = form.service_fields()
        if agreement is None:
            saved = agreements.agreement_create(
                actor=_actor(request), partner=partner, fields=fields
            )
        else:
            saved = agreements.agreement_update(
                actor=_actor(request),
                agreement=agreement,
                changes=fields,
                expected_version=posted_version(request),
            )
        if form.cleaned_data.get("document"):
            agreements.agreement_document_add(
                actor=_actor(request), agreement=saved, file=form.cleaned_data["document"]
            )

    return _form_page(
        request,
        title=(_("Edit agreement with %(name)s") if agreement else _("New agreement with %(name)s"))
        % {"name": partner.short_name},
        partner=partner,
        form=form,
        save=save,
        multipart=True,
        version=agreement.version if agreement else None,
        history_of=("agreement", agreement.pk) if agreement else None,
        success=_("Agreement saved."),
    )


@login_required
def agreement_document_view(request: HttpRequest, document_id: int) -> FileResponse:
    """Download a document of an agreement of a partner the (internal) user may see."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    document = get_object_or_404(
        AgreementDocument.objects.select_related("agreement"),
        pk=document_id,
        agreement__partner__in=partners_visible_to(request.user),
    )
    filename = (document.file.name or "document").rsplit("/", 1)[-1]
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)


@login_required
@require_POST
@vary_on_headers("HX-Request")
def note_create_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    form = forms.NoteForm(request.POST)
    return _form_page(
        request,
        title=_("Note on %(name)s") % {"name": partner.short_name},
        partner=partner,
        form=form,
        save=lambda: records.note_create(
            actor=_actor(request),
            partner=partner,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
        ),
        success=_("Note added."),
    )


@login_required
@vary_on_headers("HX-Request")
def supply_item_view(
    request: HttpRequest, partner_id: int, item_id: int | None = None
) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    item = get_object_or_404(SupplyItem, pk=item_id, partner=partner) if item_id else None
    form = forms.SupplyItemForm(request.POST or None, instance=item)
    return _form_page(
        request,
        title=_("Supplied item of %(name)s") % {"name": partner.short_name},
        intro=_("A critical item without a qualified second source is flagged."),
        partner=partner,
        form=form,
        save=lambda: records.supply_item_save(
            actor=_actor(request),
            partner=partner,
            item=item,
            changes=form.changes(),
            expected_version=posted_version(request),
        ),
        success=_("Supplied item saved."),
        version=item.version if item else None,
    )


@login_required
@vary_on_headers("HX-Request")
def benchmark_view(
    request: HttpRequest, partner_id: int, benchmark_id: int | None = None
) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    benchmark = (
        get_object_or_404(PriceBenchmark, pk=benchmark_id, partner=partner)
        if benchmark_id
        else None
    )
    form = forms.BenchmarkForm(request.POST or None, instance=benchmark)
    return _form_page(
        request,
        title=_("Price benchmark for %(name)s") % {"name": partner.short_name},
        intro=_("A premium above 5 %% without a justification is flagged. Internal only."),
        partner=partner,
        form=form,
        save=lambda: records.benchmark_save(
            actor=_actor(request),
            partner=partner,
            benchmark=benchmark,
            changes=form.changes(),
            expected_version=posted_version(request),
        ),
        success=_("Price benchmark saved."),
        version=benchmark.version if benchmark else None,
    )


@login_required
@vary_on_headers("HX-Request")
def contact_view(
    request: HttpRequest, partner_id: int, contact_id: int | None = None
) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    contact = (
        get_object_or_404(SupplierContact, pk=contact_id, partner=partner) if contact_id else None
    )
    form = forms.ContactForm(request.POST or None, instance=contact)
    return _form_page(
        request,
        title=_("Contact at %(name)s") % {"name": partner.short_name},
        partner=partner,
        form=form,
        save=lambda: records.contact_save(
            actor=_actor(request),
            partner=partner,
            contact=contact,
            changes=form.changes(),
            expected_version=posted_version(request),
        ),
        version=contact.version if contact else None,
        history_of=("contact", contact.pk) if contact else None,
        success=_("Contact saved."),
    )


@login_required
@vary_on_headers("HX-Request")
def spend_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    form = forms.SpendForm(request.POST or None)
    return _form_page(
        request,
        title=_("Annual spend with %(name)s") % {"name": partner.short_name},
        intro=_("Recording a year and category again replaces its amount."),
        partner=partner,
        form=form,
        save=lambda: records.spend_record(
            actor=_actor(request),
            partner=partner,
            year=form.cleaned_data["year"],
            category=form.cleaned_data["category"],
            amount=form.cleaned_data["amount"],
        ),
        success=_("Spend recorded."),
    )


# --- engagement-model playbooks (SPEC 1.3) -----------------------------------------------


@login_required
def playbook_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    context = {
        "playbooks": selectors.playbook_list(),
        "can_edit": _actor(request).can(Capability.ADMINISTER),
    }
    return render(request, "partners/playbooks.html", context)


@login_required
@vary_on_headers("HX-Request")
def playbook_edit_view(request: HttpRequest, engagement_model: str) -> HttpResponse:
    require_capability(request.user, Capability.ADMINISTER)
    playbook = get_object_or_404(EngagementPlaybook, engagement_model=engagement_model)
    data = request.POST if request.method == "POST" else None
    form = forms.PlaybookForm(data, instance=playbook)
    cadences = forms.CadenceFormSet(data, initial=playbook.cadences, prefix="cadences")
    version = (data is not None and posted_version(request)) or playbook.version
    status = 200
    if data is not None and form.is_valid() and cadences.is_valid():
        try:
            playbooks.playbook_update(
                actor=_actor(request),
                playbook=EngagementPlaybook.objects.get(pk=playbook.pk),
                changes=form.changes(cadences.cadences()),
                expected_version=posted_version(request),
            )
        except StaleEditError as exc:
            version, status = conflict_show(form, exc), 409
        except FieldErrors as exc:
            add_field_errors(form, exc)
        else:
            messages.success(
                request,
                _("Playbook %(model)s saved.") % {"model": playbook.get_engagement_model_display()},
            )
            return redirect("partners:playbooks")
    context = {"playbook": playbook, "form": form, "cadences": cadences, "version": version}
    return render_page(
        request, "partners/playbook_form.html", context, partial="form", status=status
    )
