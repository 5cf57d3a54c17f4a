"""Sign-up does not tell who has an account: a known address gets a new one's answer."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 42"


def sign_up(username: str, email: str):
    client = Client()
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data)
    followed = client.get(response["Location"]) if response.status_code == 302 else None
    return client, response, followed


def answer(client, response, followed) -> tuple:
    """What the visitor sees: status, where it leads, the page there, and any sign-in."""
    page = (
        followed.content.decode()
        .replace("owner@example.com", "ADDRESS")
        .replace("stranger@example.com", "ADDRESS")
    )
    return (
        response.status_code,
        response["Location"],
        followed.status_code,
        page,
        sorted(client.cookies.keys()),
    )


def test_a_known_address_gets_the_answer_an_unknown_one_gets(editor):
    get_user_model().objects.filter(pk=editor.pk).update(email="owner@example.com")
    editor.emailaddress_set.update(email="owner@example.com")

    known = answer(*sign_up("newcomer1", "owner@example.com"))
    unknown = answer(*sign_up("newcomer2", "stranger@example.com"))

    assert known == unknown
    assert known[1] == reverse("account_email_verification_sent")


def test_the_owner_of_a_known_address_is_told_by_mail_and_nothing_is_created(editor):
    client, response, _ = sign_up("impostor", "FAN@example.com")

    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="impostor").exists()
    assert not response.wsgi_request.user.is_authenticated
    assert [message.to for message in mail.outbox] == [["fan@example.com"]]
    assert "already" in mail.outbox[0].body.lower()


def test_a_new_address_gets_its_confirmation_and_is_not_signed_in_yet(db):
    client, response, _ = sign_up("newfan", "newfan@example.com")

    assert get_user_model().objects.filter(username="newfan").exists()
    assert not response.wsgi_request.user.is_authenticated
    assert [message.to for message in mail.outbox] == [["newfan@example.com"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
