"""A signed-in reader's account kept in memory is never one a change has made out of date."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

SCENE = "/scenes/coffee-shop-stand-off/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get(SCENE)  # the account is kept from here on
    return client


def is_signed_in(client: Client, user) -> bool:
    response = client.get(SCENE)
    assert response.status_code == 200
    return f'href="/users/{user.username}/"' in response.content.decode()


def test_a_kept_account_serves_the_next_page_without_reading_it(
    editor, django_assert_max_num_queries
):
    client = signed_in(editor)
    # The session, the content generation and the header's unread notifications.
    with django_assert_max_num_queries(3):
        assert is_signed_in(client, editor)


def test_signing_out_ends_the_session_at_once(editor):
    client = signed_in(editor)
    cookie = client.cookies["sessionid"].value
    assert client.post("/accounts/logout/").status_code == 302
    stolen = Client()
    stolen.cookies["sessionid"] = cookie
    assert not is_signed_in(stolen, editor)


def test_a_password_changed_elsewhere_signs_other_sessions_out_at_once(editor):
    client = signed_in(editor)
    assert is_signed_in(client, editor)
    editor.set_password("a new and long passphrase")
    editor.save()
    assert not is_signed_in(client, editor)


def test_a_deactivated_account_is_signed_out_at_once(editor):
    client = signed_in(editor)
    editor.is_active = False
    editor.save()
    assert not is_signed_in(client, editor)


def test_a_new_moderator_sees_the_moderators_tabs_at_once(editor):
    client = signed_in(editor)
    assert "/protect/" not in client.get(SCENE).content.decode()
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Moderators"))
    assert "/protect/" in client.get(SCENE).content.decode()


def test_two_readers_never_get_each_other_s_account(editor):
    other = factories.UserFactory(username="other-fan")
    first, second = signed_in(editor), signed_in(other)
    for _ in range(2):
        assert is_signed_in(first, editor) and not is_signed_in(first, other)
        assert is_signed_in(second, other) and not is_signed_in(second, editor)
