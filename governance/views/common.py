"""What every internal governance page does first: who asks, and loading through access."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from core.models import User
from core.roles import Capability
from partners.access import access_partner, require_capability
from partners.models import Partner


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a page behind ``login_required``."""
    assert isinstance(request.user, User)  # login_required let only users in
    return request.user


def internal_partner(request: HttpRequest, partner_id: int) -> Partner:
    """The partner of an internal page: 403 without the portfolio, 404 if out of sight."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return access_partner(request.user, partner_id)


def internal_record[M: Model](request: HttpRequest, records: QuerySet[M], pk: int) -> M:
    """One record of an internal page among ``records`` (scoped to the user): 403 without
    the portfolio, 404 if it is not among them."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return get_object_or_404(records, pk=pk)
