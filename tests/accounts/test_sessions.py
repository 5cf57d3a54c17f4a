"""Sessions read in plain SQL (heatwiki.accounts.sessions): a live one loads, an expired or
unknown one is empty and gets a new key when saved."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from heatwiki.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_live_session_loads():
    store = SessionStore()
    store["reader"] = "fan"
    store.create()
    assert SessionStore(store.session_key)["reader"] == "fan"


def test_an_expired_or_unknown_session_is_empty():
    store = SessionStore()
    store["reader"] = "fan"
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore("not a key!").load() == {}
