"""Error pages match the layout and say what happened."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

pytestmark = pytest.mark.django_db


def test_unknown_url_gets_the_styled_404(client_for, procurement_manager) -> None:
    response = client_for(procurement_manager).get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "pico.min.css" in body  # the site's layout, not Django's bare page
    assert 'href="/partners/"' in body  # navigation is there


def test_forbidden_page_gets_the_styled_403(client_for, supplier_a) -> None:
    response = client_for(supplier_a).get("/workspace/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def _boom(request: object) -> None:
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls("tests.core.test_errors")
def test_server_error_gets_the_styled_500() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "pico.min.css" in body
