"""Every sign-in form shares one lockout: the admin's counts as the site's does."""

import pytest
from django.test import Client

from heatwiki.accounts.adapter import LOCKED_OUT

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SITE, ADMIN = "/accounts/login/", "/admin/login/"


def sign_in(form: str, password: str, ip: str = "127.0.0.1"):
    fields = {"login": "mod"} if form == SITE else {"username": "mod", "next": "/admin/"}
    return Client().post(form, {**fields, "password": password}, REMOTE_ADDR=ip)


def signed_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("attacked", [SITE, ADMIN])
def test_thirty_wrong_passwords_at_either_form_lock_both(moderator, attacked):
    for _ in range(30):
        response = sign_in(attacked, "a guess")
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated

    for form in (SITE, ADMIN):
        response = sign_in(form, PASSWORD)
        assert not signed_in(response), f"{form} signed in after 30 failures at {attacked}"
        # The lockout's message, or allauth's limit on sign-in requests from one address.
        assert LOCKED_OUT in response.content.decode() or response.status_code == 429
    # From another address too: the account itself is locked.
    assert not signed_in(sign_in(ADMIN, PASSWORD, ip="10.1.2.3"))


def test_failures_at_both_forms_add_up(moderator):
    for form in (SITE, ADMIN, SITE, ADMIN, ADMIN):
        assert not signed_in(sign_in(form, "a guess"))
    assert not signed_in(sign_in(ADMIN, PASSWORD))


def test_the_admin_form_still_signs_a_moderator_in(moderator):
    for _ in range(4):
        sign_in(ADMIN, "a guess")
    response = sign_in(ADMIN, PASSWORD)
    assert signed_in(response)
    assert response["Location"] == "/admin/"


def test_the_admin_form_still_refuses_accounts_that_are_not_staff(editor):
    response = Client().post(ADMIN, {"username": "fan", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
