import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Credit
from scenes.models import Scene

pytestmark = pytest.mark.django_db


def change_form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value is not None:
                    data[subform.add_prefix(name)] = value
    return data


def test_moderator_can_change_a_scene(client, moderator):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    url = reverse("admin:scenes_scene_change", args=[scene.pk])
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200

    data = change_form_data(response)
    data["description"] = "Hanna and McCauley, face to face over coffee."
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    scene.refresh_from_db()
    assert scene.description == "Hanna and McCauley, face to face over coffee."
    assert scene.characters.count() > 0, "the inline characters were kept"


def test_an_admin_save_is_a_revision_by_the_moderator(client, moderator):
    scene = Scene.objects.get(slug="showdown-at-lax")
    before = scene.current_revision.number
    url = reverse("admin:scenes_scene_change", args=[scene.pk])
    client.force_login(moderator)
    data = change_form_data(client.get(url))
    data["body"] = "The last chase, across the runway lights at LAX."
    data["quotes-TOTAL_FORMS"] = str(int(data["quotes-TOTAL_FORMS"]) + 1)
    index = int(data["quotes-TOTAL_FORMS"]) - 1
    data[f"quotes-{index}-text"] = "Told you I'm never going back."
    data[f"quotes-{index}-position"] = "9"

    assert client.post(url, data).status_code == 302

    scene.refresh_from_db()
    revision = scene.current_revision
    assert revision.number == before + 1
    assert revision.author == moderator
    assert revision.summary.startswith("Edited in the admin: body")
    assert revision.snapshot["body"] == "The last chase, across the runway lights at LAX."
    assert "Told you I'm never going back." in [q["text"] for q in revision.snapshot["quotes"]]
    assert scene.body_html == "<p>The last chase, across the runway lights at LAX.</p>\n"


def test_an_admin_save_that_changes_nothing_makes_no_revision(client, moderator):
    scene = Scene.objects.get(slug="coffee-shop-stand-off")
    before = scene.revisions.count()
    url = reverse("admin:scenes_scene_change", args=[scene.pk])
    client.force_login(moderator)
    assert client.post(url, change_form_data(client.get(url))).status_code == 302
    assert scene.revisions.count() == before


def test_changing_a_credit_in_the_admin_is_a_revision_of_its_person(client, moderator):
    credit = Credit.objects.filter(person__isnull=False).select_related("person").first()
    person = credit.person
    before = person.current_revision.number
    url = reverse("admin:people_credit_change", args=[credit.pk])
    client.force_login(moderator)
    data = change_form_data(client.get(url))
    data["source_url"] = "https://example.com/credit-source"

    assert client.post(url, data).status_code == 302

    person.refresh_from_db()
    assert person.current_revision.number == before + 1
    assert person.current_revision.author == moderator
    sources = [row["source_url"] for row in person.current_revision.snapshot["credits"]]
    assert "https://example.com/credit-source" in sources


def test_moderator_sees_the_wiki_models_but_not_users_or_groups(client, moderator):
    client.force_login(moderator)
    index = client.get(reverse("admin:index")).content.decode()
    for model in ["Scenes", "Locations", "People", "Characters", "Credits", "Works", "News"]:
        assert f">{model}<" in index
    group = Group.objects.get(name="Moderators")
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_moderators_group_has_no_say_over_users_or_permissions():
    group = Group.objects.get(name="Moderators")
    apps = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"works", "news", "people", "scenes", "wiki", "accounts"}
    assert not group.permissions.filter(content_type__app_label__in=["auth", "account"]).exists()
    deletable = set(
        group.permissions.filter(codename__startswith="delete_").values_list("codename", flat=True)
    )
    # Rows that belong to a page, whose removal is a revision of that page; never pages or history.
    assert deletable == {"delete_credit", "delete_quote"}


def test_editor_cannot_enter_the_admin(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_reader_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:scenes_scene_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
