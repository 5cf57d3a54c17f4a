"""Never lose what was typed, and show only what the user can do.

A save refused after the form was opened (the edit rate, a block that started meanwhile, a
page protected meanwhile) comes back as the form with every field, the summary too; errors sit
beside their fields. The Edit tab, the revert form and the compare buttons are shown only
when they would succeed, with the reason in their place otherwise.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts.blocks import block_account
from heatwiki.wiki.moderation import hide_revision, protect_page
from heatwiki.wiki.services import save_page
from scenes.models import Location
from tests import factories
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

TYPED = "Words typed while the rules changed."
SUMMARY = "A summary worth keeping"


@pytest.fixture
def page():
    return factories.LocationFactory()


def typed_form(client, page) -> dict:
    data = form_data(client.get(page.kind_url("edit")))
    data.update(body=TYPED, summary=SUMMARY, city="Los Angeles")
    return data


def assert_form_kept(response, status: int) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert "Nothing was saved." in html
    assert TYPED in html
    assert f'value="{SUMMARY}"' in html
    assert 'value="Los Angeles"' in html
    return html


def test_over_the_edit_rate_the_form_comes_back_and_says_when_to_retry(
    client, editor, page, settings
):
    settings.HEATWIKI_NEW_ACCOUNT_EDIT_RATE = "1/h"
    client.force_login(editor)
    first = typed_form(client, page)
    first["body"] = "First."
    assert client.post(page.kind_url("edit"), first).status_code == 302

    response = client.post(page.kind_url("edit"), typed_form(client, page))

    html = assert_form_kept(response, 429)
    assert "You can save again from" in html and "UTC" in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Location.objects.get(pk=page.pk).body == "First."


def test_a_block_that_started_while_editing_keeps_the_form(client, editor, moderator, page):
    client.force_login(editor)
    data = typed_form(client, page)
    block_account(user=editor, moderator=moderator, reason="Cooling off")

    html = assert_form_kept(client.post(page.kind_url("edit"), data), 403)
    assert "Your account is blocked from editing" in html
    assert page.revisions.count() == 1


def test_a_page_protected_while_editing_keeps_the_form(client, editor, moderator, page):
    client.force_login(editor)
    data = typed_form(client, page)
    protect_page(page=page, moderator=moderator, reason="Vandalism")

    html = assert_form_kept(client.post(page.kind_url("edit"), data), 403)
    assert "only moderators can change it" in html


def test_a_check_constraint_s_error_is_shown_beside_its_field(client, editor, page):
    client.force_login(editor)
    data = typed_form(client, page)
    data.update(latitude="123", longitude="10")

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["latitude"] == ["Latitude lies between -90 and 90."]
    assert "__all__" not in form.errors
    html = response.content.decode()
    assert html.index('id="id_latitude"') < html.index("Latitude lies between -90 and 90.")


def test_the_edit_tab_is_shown_only_to_those_who_may_edit(client, editor, moderator, page):
    tabs = 'aria-label="This page"'

    def tab_html(response) -> str:
        html = response.content.decode()
        return html[html.index(tabs) : html.index("</nav>", html.index(tabs))]

    # Visitors see it (it leads to sign-in); editors see it.
    assert ">Edit</a>" in tab_html(client.get(page.get_absolute_url()))
    client.force_login(editor)
    assert ">Edit</a>" in tab_html(client.get(page.get_absolute_url()))

    protect_page(page=page, moderator=moderator, reason="Vandalism")
    html = tab_html(client.get(page.get_absolute_url()))
    assert ">Edit</a>" not in html and "Protected: moderators only" in html

    until = timezone.now() + timedelta(days=3)
    block_account(user=editor, moderator=moderator, reason="Heated", expires_at=until)
    html = tab_html(client.get(page.kind_url("history")))
    assert ">Edit</a>" not in html and f"Blocked until {until:%-d %B %Y}" in html

    newcomer = factories.UserFactory(username="newcomer", email_address__verified=False)
    client.force_login(newcomer)
    html = tab_html(client.get(page.kind_url("links")))
    assert "Confirm your e-mail to edit" in html and reverse("account_email") in html


def test_the_revert_form_asks_for_a_reason_and_carries_the_current_revision(client, editor, page):
    save_page(page=page, data={**page.current_revision.snapshot, "body": "Two."}, author=editor)
    client.force_login(editor)
    html = client.get(page.kind_url("revision", number=1)).content.decode()
    assert "Revert to this revision…" in html
    assert 'name="summary"' in html and "required" in html
    assert '<input type="hidden" name="base_revision" value="2">' in html


def test_no_revert_form_on_a_protected_page(client, editor, moderator, page):
    save_page(page=page, data={**page.current_revision.snapshot, "body": "Two."}, author=editor)
    protect_page(page=page, moderator=moderator, reason="Vandalism")
    client.force_login(editor)
    html = client.get(page.kind_url("revision", number=1)).content.decode()
    assert "Revert to this revision" not in html
    assert "Reverting:" in html and "Protected: moderators only" in html


def test_hidden_revisions_have_no_compare_buttons_but_for_moderators(
    client, editor, moderator, page
):
    for body in ("Two.", "Three."):
        data = {**page.current_revision.snapshot, "body": body}
        page = save_page(page=page, data=data, author=editor).page
    hide_revision(revision=page.revisions.get(number=2), moderator=moderator, reason="Privacy")

    html = client.get(page.kind_url("history")).content.decode()
    assert 'aria-label="Compare to revision 2"' not in html
    # The newest two that can be compared are checked.
    assert 'value="3" aria-label="Compare to revision 3" checked' in html
    assert 'value="1" aria-label="Compare from revision 1" checked' in html

    client.force_login(moderator)
    html = client.get(page.kind_url("history")).content.decode()
    assert 'aria-label="Compare from revision 2" checked' in html


def test_the_unconfirmed_account_s_403_links_and_resends(client, page):
    newcomer = factories.UserFactory(username="newcomer", email_address__verified=False)
    client.force_login(newcomer)
    response = client.get(page.kind_url("edit"))
    assert response.status_code == 403
    html = response.content.decode()
    assert f'action="{reverse("account_email")}"' in html
    assert 'name="action_send"' in html and f'value="{newcomer.email}"' in html


def test_a_missing_page_s_404_offers_to_create_it_and_search(client, editor):
    client.force_login(editor)
    response = client.get(reverse("characters:detail", kwargs={"slug": "neil-mccauleys-car"}))
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no character called “Neil Mccauleys Car” yet" in html
    assert "/characters/new/?title=Neil+Mccauleys+Car" in html
    assert 'href="/characters/neil-mccauley/"' in html  # a search result for its words


def test_the_red_link_kind_chooser_names_kinds_in_the_singular(client, editor):
    client.force_login(editor)
    html = client.get(reverse("wiki:create"), {"title": "Somebody"}).content.decode()
    html = html[html.index("<main") :]
    assert ">Character</a>" in html and ">Characters</a>" not in html
    assert ">News item</a>" in html
