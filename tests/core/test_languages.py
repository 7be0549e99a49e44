"""English and German (issue 14): the language a person sees, the switcher, and numbers, money
and dates written the way their language writes them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core import api_tokens
from core.formatting import format_money, format_number
from core.numbers import NumberFormatError, parse_decimal

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_follows_the_browser_until_someone_picks_a_language() -> None:
    client = Client()
    german = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="de">' in german and "Passwort vergessen?" in german
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Forgot your password?" in english

    # The switcher on the sign-in page: a cookie, then German whatever the browser says.
    answer = client.post(reverse("switch-language"), {"language": "de", "next": "/accounts/login/"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/"
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Passwort vergessen?" in page and "Anmelden" in page


def test_a_signed_in_user_sees_their_own_language_whatever_the_browser_asks(
    client_for, procurement_manager
) -> None:
    procurement_manager.language = "de"
    procurement_manager.save(update_fields=["language"])
    client = client_for(procurement_manager)
    page = client.get(reverse("workspace"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in page
    assert "Arbeitsbereich" in page and "Abmelden" in page  # navigation and top bar
    assert 'data-testid="language-switcher"' in page


def test_the_switcher_stores_the_choice_on_the_user_and_returns_to_the_page(
    client_for, procurement_manager
) -> None:
    client = client_for(procurement_manager)
    page = client.get(reverse("workspace")).content.decode()
    assert "Workspace" in page and 'value="de"' in page and 'aria-label="Deutsch"' in page

    answer = client.post(reverse("switch-language"), {"language": "de", "next": "/workspace/"})
    assert answer.status_code == 302 and answer["Location"] == "/workspace/"
    procurement_manager.refresh_from_db()
    assert procurement_manager.language == "de"  # also the language of their e-mails
    assert "Arbeitsbereich" in client.get("/workspace/").content.decode()

    # Another device (no cookie) shows the user's language too.
    other = client_for(procurement_manager)
    assert "Arbeitsbereich" in other.get("/workspace/").content.decode()

    back = client.post(
        reverse("switch-language"), {"language": "en"}, HTTP_REFERER="http://testserver/partners/"
    )
    assert back["Location"] == "http://testserver/partners/"
    procurement_manager.refresh_from_db()
    assert procurement_manager.language == "en"


def test_the_switcher_refuses_foreign_addresses_unknown_languages_and_missing_csrf(
    procurement_manager,
) -> None:
    client = Client()
    client.force_login(procurement_manager)
    answer = client.post(
        reverse("switch-language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert answer["Location"] == "/"
    client.post(reverse("switch-language"), {"language": "xx", "next": "/"})
    procurement_manager.refresh_from_db()
    assert procurement_manager.language == "de"
    assert client.get(reverse("switch-language")).status_code == 405

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(procurement_manager)
    assert strict.post(reverse("switch-language"), {"language": "en"}).status_code == 403
    procurement_manager.refresh_from_db()
    assert procurement_manager.language == "de"


def test_the_preferences_page_changes_the_language_of_the_pages_too(
    client_for, procurement_manager
) -> None:
    client = client_for(procurement_manager)
    form = client.get(reverse("notification-preferences"))
    data = {
        name: field.initial
        for name, field in form.context["form"].fields.items()
        if field.initial is not None and not isinstance(field, forms.BooleanField)
    }
    data.update(language="de", time_zone="Europe/Berlin")
    answer = client.post(reverse("notification-preferences"), data, follow=True)
    body = answer.content.decode()
    assert "Ihre Benachrichtigungseinstellungen sind gespeichert." in body
    assert "Benachrichtigungseinstellungen" in body


def test_api_errors_speak_the_token_owners_language(procurement_manager) -> None:
    procurement_manager.language = "de"
    procurement_manager.save(update_fields=["language"])
    created = api_tokens.api_token_create(actor=procurement_manager, name="ERP", lifetime_days=30)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {created.secret}", HTTP_ACCEPT_LANGUAGE="en")
    answer = client.get("/api/v1/notification-preferences/no_such_kind/")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Sie erhalten keine Benachrichtigungen dieser Art."
    refused = Client(HTTP_AUTHORIZATION="Bearer srm_wrong", HTTP_ACCEPT_LANGUAGE="de")
    assert refused.get("/api/v1/partners/").json()["detail"] == "Ungültiger Token."


def test_session_api_errors_follow_the_signed_in_user(client_for, procurement_manager) -> None:
    procurement_manager.language = "de"
    procurement_manager.save(update_fields=["language"])
    answer = client_for(procurement_manager).get("/api/v1/notification-preferences/nope/")
    assert answer.json()["detail"] == "Sie erhalten keine Benachrichtigungen dieser Art."


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("en", Decimal("1234.56"), "EUR", "1,234.56 EUR"),
        ("en", Decimal("1234567"), "EUR", "1,234,567 EUR"),
        ("de", Decimal("1234.56"), "EUR", "1.234,56\u00a0€"),
        ("de", Decimal("1234567.00"), "EUR", "1.234.567\u00a0€"),
        ("de", Decimal("-0.5"), "CHF", "-0,50\u00a0CHF"),
        ("de", None, "EUR", ""),
    ],
)
def test_money_is_written_the_way_the_language_writes_it(language, amount, currency, shown) -> None:
    with translation.override(language):
        assert format_money(amount, currency) == shown
        rendered = Template("{{ amount|money:currency }}").render(
            Context({"amount": amount, "currency": currency})
        )
        assert rendered == shown


def test_numbers_and_dates_follow_the_language_and_machine_values_do_not() -> None:
    day = datetime.date(2026, 12, 1)
    template = Template(
        '{% load l10n %}{{ day|date:"SHORT_DATE_FORMAT" }} | {{ day|date:"DATE_FORMAT" }} | '
        '{{ ratio }} | {{ ratio|floatformat:"2g" }} | {{ big|number:2 }} | '
        '<rect width="{{ ratio|unlocalize }}"> | {{ big }}'
    )
    context = Context({"day": day, "ratio": 1.5, "big": Decimal("1234567.891")})
    with translation.override("de"):
        assert template.render(context) == (
            '01.12.2026 | 1. Dezember 2026 | 1,5 | 1,50 | 1.234.567,89 | <rect width="1.5"> | '
            "1234567,891"
        )
    with translation.override("en"):
        assert template.render(context) == (
            '1 Dec 2026 | Dec. 1, 2026 | 1.5 | 1.50 | 1,234,567.89 | <rect width="1.5"> | '
            "1234567.891"
        )
    with translation.override("de"):
        assert format_number(Decimal("0.5"), 1) == "0,5"
        # Scores are frozen as text at close; they are shown the language's way all the same.
        assert format_number("69.5") == "69,5" and format_number("+1.5") == "+1,5"
        assert format_number("-0.5") == "-0,5" and format_number("n/a") == "n/a"


def test_date_inputs_keep_iso_values_in_german_and_accept_german_dates() -> None:
    class When(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override("de"):
        html = str(When(initial={"day": datetime.date(2026, 12, 1)})["day"])
        assert 'value="2026-12-01"' in html  # what <input type="date"> understands
        for typed in ("2026-12-01", "01.12.2026"):
            form = When({"day": typed})
            assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2026, 12, 1)


def test_number_errors_are_told_in_the_users_language() -> None:
    with translation.override("de"), pytest.raises(NumberFormatError) as refused:
        parse_decimal("1,2,3x")
    assert "ist keine Zahl" in str(refused.value) or "Dezimalzeichen" in str(refused.value)
