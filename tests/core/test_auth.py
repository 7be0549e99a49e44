"""Signing in, out and resetting a password, as a user would."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from srm.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "landing", "heading"),
    [
        ("priya", "/workspace/", "Good to see you, Priya"),
        ("marco", "/workspace/", "Good to see you, Marco"),
        ("admin", "/workspace/", "Good to see you, Ada"),
        ("helena", "/dashboard/", "Portfolio overview"),
        ("lena", "/portal/", "Voltaris Cell Technologies AB"),
        ("joost", "/portal/", "GreenPack Materials B.V."),
    ],
)
def test_each_demo_login_lands_on_a_page_for_its_role(
    username: str, landing: str, heading: str
) -> None:
    seed_demo()
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == landing
    assert heading in response.content.decode()


def test_wrong_password_says_so_and_stays_on_the_form(procurement_manager) -> None:
    response = Client().post(reverse("login"), {"username": "pm", "password": "not-the-password"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please enter a correct username and password" in body
    assert not response.wsgi_request.user.is_authenticated


def test_repeated_wrong_passwords_lock_the_account(procurement_manager, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "pm", "password": "wrong"})
    # Even the right password is refused while locked out.
    response = client.post(
        reverse("login"), {"username": "pm", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_sign_out_ends_the_session(client_for, procurement_manager) -> None:
    client = client_for(procurement_manager)
    assert client.get(reverse("workspace")).status_code == 200
    client.post(reverse("logout"))
    response = client.get(reverse("workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_sends_a_working_link(procurement_manager) -> None:
    client = Client()
    client.post(reverse("password_reset"), {"email": procurement_manager.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [procurement_manager.email]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-pass-phrase-77", "new_password2": "a-new-pass-phrase-77"},
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()
    signed_in = Client().post(
        reverse("login"), {"username": "pm", "password": "a-new-pass-phrase-77"}, follow=True
    )
    assert signed_in.wsgi_request.user.is_authenticated


def test_anonymous_visitors_are_sent_to_sign_in(db) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_passwords_follow_the_rules_when_changed(client_for, procurement_manager) -> None:
    """At least 12 characters, not common, not all digits: the form says which rule failed."""
    client = client_for(procurement_manager)
    page = client.get(reverse("password_change"))
    assert "at least 12 characters" in page.content.decode()
    for weak, message in [
        ("short-pw-1", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
    ]:
        response = client.post(
            reverse("password_change"),
            {"old_password": "correct-horse-battery", "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert message in response.content.decode(), weak
    done = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-long-pass-phrase-2026",
            "new_password2": "a-long-pass-phrase-2026",
        },
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()
    assert client.get(reverse("workspace")).status_code == 200  # still signed in
