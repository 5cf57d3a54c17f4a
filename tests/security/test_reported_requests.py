"""Every hostile request issue 21 reported answers a clear 4xx (or the page), never a 5xx."""

import pytest
from django.test import Client
from django.urls import reverse

from heatwiki.wiki.models import Revision
from people.models import Character, Person
from scenes.models import Scene
from tests.formdata import form_data
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
SCENE = "coffee-shop-stand-off"
CHARSETS = ["utf-16", "latin-1", "ascii", "utf-32", "cp500", "utf-7"]
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
]


def hostile_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_refused_cleanly(response, *statuses):
    """No server error (unless one is expected), and the security headers on the answer."""
    if statuses:
        assert response.status_code in statuses, response.status_code
    else:
        assert response.status_code < 500, response.content[:300]
    for header in SECURITY_HEADERS:
        assert header in response, (header, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        f"/recent-changes/?page={HUGE}",
        f"/users/HeatWiki/?page={HUGE}",
        f"/scenes/?page={HUGE}",
        f"/scenes/{SCENE}/history/?page={HUGE}",
        f"/search/?q=heat&page={HUGE}",
        "/recent-changes/?user=%00",
        "/recent-changes/feed/?user=%00",
        "/users/%00/",
        "/search/?q=%00",
        f"/scenes/{SCENE}/history/{HUGE}/",
        f"/scenes/{SCENE}/diff/?from={HUGE}&to=1",
    ],
)
def test_anonymous_hostile_addresses(url):
    assert_refused_cleanly(hostile_client().get(url))


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/search/", f"/scenes/{SCENE}/"])
def test_a_post_in_another_charset_is_a_clear_4xx(url, charset):
    client = hostile_client()
    client.get("/accounts/login/")  # the CSRF cookie
    body = "login=fan&password=guess".encode(charset, "replace")
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    response = client.generic("POST", url, body, content_type=content_type)
    assert_refused_cleanly(response)
    assert 400 <= response.status_code < 500


def test_a_nul_byte_in_a_posted_field_is_refused_before_anything_reads_it(editor):
    client = hostile_client(editor)
    url = reverse("scenes:edit", kwargs={"slug": SCENE})
    data = form_data(client.get(url))
    data.update(summary="Sneaky\x00", csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    response = client.post(url, data)
    assert_refused_cleanly(response, 400)
    assert "control character" in response.content.decode()


def test_newlines_and_tabs_in_a_posted_body_are_kept(editor):
    client = hostile_client(editor)
    url = reverse("scenes:edit", kwargs={"slug": SCENE})
    data = form_data(client.get(url))
    body = "First line.\n\n\tIndented code.\r\nLast line."
    data.update(body=body, csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Scene.objects.get(slug=SCENE).body == body.replace("\r\n", "\n")


def edit_data(client, page) -> dict:
    data = form_data(client.get(page.kind_url("edit")))
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return data


@pytest.mark.parametrize("value", [HUGE, "abc", "-1", "1.5", "9223372036854775808"])
@pytest.mark.parametrize(
    "model, slug, field",
    [
        (Scene, SCENE, "work"),
        (Scene, SCENE, "locations"),
        (Scene, SCENE, "quotes-0-speaker"),
        (Person, "al-pacino", "credits-0-work"),
        (Person, "al-pacino", "credits-0-character"),
        (Person, "al-pacino", "roles"),
        (Character, "vincent-hanna", "works"),
        (Character, "vincent-hanna", "inspired_by"),
    ],
)
def test_an_impossible_id_in_an_edit_form_is_an_invalid_choice(editor, model, slug, field, value):
    page = model.objects.get(slug=slug)
    before = page.current_revision.number
    client = hostile_client(editor)
    data = edit_data(client, page)
    data[field] = value
    response = client.post(page.kind_url("edit"), data)
    assert_refused_cleanly(response, 400)
    assert "Select a valid choice" in response.content.decode() or "is not a valid value" in (
        response.content.decode()
    )
    assert model.objects.get(pk=page.pk).current_revision.number == before


# The admin, as a moderator -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/admin/wiki/revision/?created_at__year={HUGE}",
        "/admin/wiki/revision/?created_at__year=9999",
        "/admin/wiki/revision/?created_at__year=2020&created_at__month=13",
        f"/admin/wiki/revision/?page={HUGE}",
        f"/admin/wiki/revision/?author__id__exact={HUGE}",
        f"/admin/scenes/scene/?work__page__exact={HUGE}",
        f"/admin/scenes/scene/?locations__page__exact={HUGE}",
        "/admin/scenes/scene/?locations__page__exact=abc",
        f"/admin/people/credit/?work__page__exact={HUGE}",
        f"/admin/wiki/revision/?p={HUGE}",
        f"/admin/scenes/scene/{HUGE}/change/",
        f"/admin/scenes/scene/{HUGE}/delete/",
        f"/admin/scenes/scene/{HUGE}/history/",
        "/admin/scenes/scene/abc/change/",
        f"/admin/wiki/revision/{HUGE}/change/",
        "/admin/wiki/revision/?page__page_kind=%00",
        "/admin/autocomplete/?term=%00&app_label=people&model_name=credit&field_name=work",
        f"/admin/autocomplete/?term=a&app_label=people&model_name=credit&field_name=work&page={HUGE}",
        "/admin/scenes/scene/add/?work=abc",
        "/admin/scenes/scene/add/?work=%00",
        f"/admin/scenes/scene/add/?work={HUGE}",
        "/admin/scenes/scene/add/?locations=abc,1",
        "/admin/people/credit/add/?work=abc",
        f"/admin/people/credit/add/?character={HUGE}",
    ],
)
def test_hostile_admin_addresses(moderator, url):
    assert_refused_cleanly(hostile_client(moderator).get(url))


@pytest.mark.parametrize("selected", ["abc", HUGE, "\u0661"])
def test_an_admin_action_on_impossible_rows_changes_nothing(moderator, selected):
    client = hostile_client(moderator)
    client.get("/admin/wiki/revision/")
    data = {
        "action": "hide",
        "reason": "Vandalism",
        "index": "0",
        "_selected_action": [selected],
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    response = client.post("/admin/wiki/revision/", data)
    assert_refused_cleanly(response, 302)
    assert not Revision.objects.filter(hidden_at__isnull=False).exists()


@pytest.mark.parametrize(
    "field, value",
    [("work", "abc"), ("work", HUGE), ("work", "\x00"), ("locations", "abc"), ("locations", HUGE)],
)
def test_an_impossible_relation_in_an_admin_form_is_refused(moderator, field, value):
    scene = Scene.objects.get(slug=SCENE)
    before = scene.current_revision.number
    client = hostile_client(moderator)
    url = reverse("admin:scenes_scene_change", args=[scene.pk])
    data = change_form_data(client.get(url))
    data.update({field: value, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    response = client.post(url, data)
    assert_refused_cleanly(response, 200, 400)
    assert Scene.objects.get(pk=scene.pk).current_revision.number == before


def test_the_editors_script_gets_a_short_refusal_it_can_show_in_place(editor):
    client = hostile_client(editor)
    client.get(reverse("scenes:edit", kwargs={"slug": SCENE}))
    token = client.cookies["csrftoken"].value
    xhr = {"x-requested-with": "XMLHttpRequest"}
    preview = client.post(
        reverse("editor:preview"), {"content": "a\x00b", "csrfmiddlewaretoken": token}, headers=xhr
    )
    assert_refused_cleanly(preview, 400)
    assert preview.content.decode().startswith('<p class="preview-error">')
    upload = client.post(
        reverse("editor:upload"), {"alt": "\x00", "csrfmiddlewaretoken": token}, headers=xhr
    )
    assert_refused_cleanly(upload, 400)
    assert "control character" in upload.json()["error"]
