"""The engine's views, run against every page kind: one engine serves them all.

Forms are filled the way a browser fills them: from the form the view rendered (its initial
values, or the editor's bound text after a conflict), with only what a test changes on top.
"""

import re

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from heatwiki.news.models import NewsItem
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.limits import BODY_MAX_BYTES
from heatwiki.wiki.markdown import render_markdown
from heatwiki.wiki.models import FilePage, WikiPage
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import take
from heatwiki.wiki.views import HISTORY_PAGE_SIZE
from heatwiki.works.models import Work
from people.models import Character, Credit, Person
from scenes.models import Location, Scene
from tests import factories
from tests.formdata import form_data
from tests.history import long_history
from tests.images import png_bytes

pytestmark = pytest.mark.django_db

# One seeded page per kind; each starts at revision 1 by the system account.
SEEDED = {
    "works": "heat",
    "scenes": "coffee-shop-stand-off",
    "people": "al-pacino",
    "characters": "vincent-hanna",
    "locations": "lax",
    "news": "dicaprio-and-bale-join-heat-2",
    "files": "test-still",
}

FACTORIES = {
    Work: factories.WorkFactory,
    Scene: factories.SceneFactory,
    Person: factories.PersonFactory,
    Character: factories.CharacterFactory,
    Location: factories.LocationFactory,
    NewsItem: factories.NewsItemFactory,
    FilePage: factories.FilePageFactory,
}

every_kind = pytest.mark.parametrize("model", page_kinds(), ids=lambda m: m.url_namespace)


def seeded(model):
    return model.objects.get(slug=SEEDED[model.url_namespace])


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def change(page, author, summary="", minor=False, **data):
    """Save a change to ``page`` through the revision service, as another tab or user would."""
    outcome = save_page(page=fresh(page), data=data, author=author, summary=summary, minor=minor)
    assert outcome.revision is not None
    return outcome.revision


def fill_required(form: forms.Form, data: dict) -> dict:
    """Any value for each required field the form leaves empty (a scene's work, position …)."""
    for name, field in form.fields.items():
        if not field.required or data.get(name) or name == "slug":
            continue
        if isinstance(field, forms.FileField):
            data[name] = SimpleUploadedFile("still.png", png_bytes((64, 48)), "image/png")
        elif isinstance(field, forms.ChoiceField):
            data[name] = next(str(value) for value, _ in field.choices if str(value))
        elif isinstance(field, forms.IntegerField):
            data[name] = "999"
        else:
            data[name] = f"Some {name}"
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def section(html: str, css_class: str) -> str:
    match = re.search(rf'<section class="{css_class}".*?</section>', html, re.S)
    assert match, f"no {css_class} section"
    return match[0]


def rows_of(formset_data: dict, prefix: str) -> int:
    return int(formset_data[f"{prefix}-TOTAL_FORMS"])


# Create ---------------------------------------------------------------------------------------


@every_kind
def test_create_form_prefills_the_title_from_the_query(client, editor, model):
    client.force_login(editor)
    response = client.get(reverse(f"{model.url_namespace}:create"), {"title": "Brand <new> page"})
    assert response.status_code == 200
    assert response.context["form"]["title"].value() == "Brand <new> page"
    assert f'value="{escape("Brand <new> page")}"' in response.content.decode()


@every_kind
def test_create_saves_revision_1_by_the_editor_and_redirects_to_the_page(client, editor, model):
    client.force_login(editor)
    url = reverse(f"{model.url_namespace}:create")
    form_page = client.get(url, {"title": "Brand new page"})
    data = fill_required(form_page.context["form"], form_data(form_page))
    data["summary"] = "Started the page"

    response = client.post(url, data)

    page = model.objects.get(title="Brand new page")
    assert response.status_code == 302
    assert response["Location"] == page.get_absolute_url()
    assert page.slug == "brand-new-page"
    revision = page.current_revision
    assert (revision.number, revision.author, revision.summary) == (1, editor, "Started the page")
    assert revision.snapshot == take(page)


@every_kind
def test_create_with_a_taken_title_is_refused(client, editor, model):
    client.force_login(editor)
    url = reverse(f"{model.url_namespace}:create")
    taken = seeded(model).title
    form_page = client.get(url, {"title": taken})
    data = fill_required(form_page.context["form"], form_data(form_page))

    response = client.post(url, data)

    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert model.objects.filter(title=taken).count() == 1


@every_kind
def test_anonymous_create_goes_to_sign_in_and_creates_nothing(client, model):
    url = reverse(f"{model.url_namespace}:create")
    pages = WikiPage.objects.count()

    for response in (client.get(url), client.post(url, {"title": "Sneaky page"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    assert WikiPage.objects.count() == pages


# Edit -----------------------------------------------------------------------------------------


@every_kind
def test_edit_form_shows_the_current_values_and_base_revision(client, editor, model):
    page = seeded(model)
    change(page, editor, title=f"{page.title} renamed", body="The body as it is now.")
    client.force_login(editor)

    response = client.get(page.kind_url("edit"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == f"{page.title} renamed"
    assert form["body"].value() == "The body as it is now."
    assert form["base_revision"].value() == 2
    html = response.content.decode()
    assert 'name="base_revision" value="2"' in html
    assert escape(f"{page.title} renamed") in html
    assert "The body as it is now." in html


@every_kind
def test_edit_saves_a_new_revision_with_summary_and_minor_flag(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    data.update(
        title=f"{page.title} (edited)",
        description="A new description.",
        body="A new body with [[Heat 2 (novel)]].",
        summary="Tidied up",
        minor="on",
    )

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 302
    page = fresh(page)
    assert response["Location"] == page.get_absolute_url()
    assert (page.title, page.description) == (data["title"], "A new description.")
    assert 'href="/works/heat-2-novel/"' in page.body_html
    revision = page.current_revision
    assert (revision.number, revision.author, revision.summary, revision.minor) == (
        2,
        editor,
        "Tidied up",
        True,
    )
    assert revision.snapshot == take(page)
    assert messages_of(response) == ["Saved as revision 2."]


@every_kind
def test_edit_without_changes_saves_no_revision_and_says_so(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    data["summary"] = "Nothing really"

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 302
    assert page.revisions.count() == 1
    assert messages_of(response) == ["You made no changes, so no new revision was saved."]


@every_kind
def test_edit_from_a_browser_with_crlf_line_endings_is_no_change(client, editor, model):
    # Browsers send textarea text with CRLF line endings, whatever the page stored.
    page = seeded(model)
    change(page, editor, body="First paragraph.\n\nSecond paragraph.\n")
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 302
    assert page.revisions.count() == 2
    assert fresh(page).body == "First paragraph.\n\nSecond paragraph.\n"


@every_kind
def test_edit_with_an_empty_title_is_refused_and_keeps_the_typed_text(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    data.update(title="", body="My carefully typed paragraph.", summary="My summary")

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == ["This field is required."]
    html = response.content.decode()
    assert 'class="field field--title field--error"' in html
    assert "This field is required." in html
    assert "My carefully typed paragraph." in html
    assert 'value="My summary"' in html
    assert fresh(page).title == page.title
    assert page.revisions.count() == 1


@every_kind
def test_edit_with_a_body_over_the_size_limit_is_refused_and_keeps_it(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    body = "Too long. " * (BODY_MAX_BYTES // 10) + "The end."
    data.update(body=body, description="My new description")

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == ["The text is 101 KB; the limit is 100 KB."]
    html = response.content.decode()
    assert "The text is 101 KB; the limit is 100 KB." in html
    assert body in html
    assert 'value="My new description"' in html
    assert fresh(page).body == page.body
    assert page.revisions.count() == 1


@every_kind
def test_edit_without_its_base_revision_is_refused(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    del data["base_revision"]
    data["body"] = "My change."

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "This form does not say which revision it started from." in html
    assert "My change." in html
    assert page.revisions.count() == 1


@every_kind
def test_a_refused_edit_is_headed_by_the_page_as_saved(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    data.update(title="A title not saved", body="x" * (BODY_MAX_BYTES + 1))

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f"<h1>{escape(page.title)}</h1>" in html
    assert f"<title>Editing {escape(page.title)} · HeatWiki</title>" in html
    assert 'value="A title not saved"' in html


@every_kind
def test_anonymous_edit_goes_to_sign_in_and_changes_nothing(client, model):
    page = seeded(model)
    for response in (
        client.get(page.kind_url("edit")),
        client.post(page.kind_url("edit"), {"title": "Vandalised"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={page.kind_url('edit')}"
    assert fresh(page).title == page.title
    assert page.revisions.count() == 1


def test_the_kind_chooser_offers_every_kind_with_the_title(client, editor):
    client.force_login(editor)

    response = client.get(reverse("wiki:create"), {"title": "Nate & Co"})

    assert response.status_code == 200
    html = response.content.decode()
    for model in page_kinds():
        assert f'href="/{model.url_namespace}/new/?title=Nate%20%26%20Co"' in html


def test_the_kind_chooser_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("wiki:create"), {"title": "X"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_scene_cannot_take_the_place_of_another_scene_in_its_work(client, editor):
    scene = seeded(Scene)
    other = Scene.objects.filter(work=scene.work).exclude(pk=scene.pk).first()
    client.force_login(editor)
    data = form_data(client.get(scene.kind_url("edit")))
    data["position"] = str(other.position)

    response = client.post(scene.kind_url("edit"), data)

    assert response.status_code == 400
    assert "Another scene already has this place in the work." in response.content.decode()
    assert scene.revisions.count() == 1


def test_credit_rows_that_clash_in_the_database_are_refused_with_a_message(client, editor):
    person = seeded(Person)
    client.force_login(editor)
    data = form_data(client.get(person.kind_url("edit")))
    first, new = 0, rows_of(data, "credits") - 1  # the one empty row
    # The same role twice, told apart only by its status: the database refuses it.
    for name in ("work", "job", "character", "source_news", "source_url"):
        data[f"credits-{new}-{name}"] = data[f"credits-{first}-{name}"]
    data[f"credits-{new}-status"] = (
        Credit.Status.RUMOURED
        if data[f"credits-{first}-status"] != Credit.Status.RUMOURED
        else Credit.Status.CONFIRMED
    )

    response = client.post(person.kind_url("edit"), data)

    assert response.status_code == 400
    assert "This clashes with something saved meanwhile" in response.content.decode()
    assert person.revisions.count() == 1
    assert take(fresh(person))["credits"] == person.current_revision.snapshot["credits"]


# Edit relations ---------------------------------------------------------------------------------


def test_edit_changes_a_scenes_locations_and_quotes(client, editor):
    scene = seeded(Scene)
    neil = Character.objects.get(slug="neil-mccauley")
    first = {"position": 1, "speaker": neil.pk, "text": "First line."}
    change(scene, editor, quotes=[first, {"position": 2, "speaker": None, "text": "Second."}])
    client.force_login(editor)
    data = form_data(client.get(scene.kind_url("edit")))
    assert rows_of(data, "quotes") == 3  # two quotes and one empty row
    lax, diner = Location.objects.get(slug="lax"), Location.objects.get(slug="bobs-big-boy")
    data["locations"] = [str(lax.pk), str(diner.pk)]
    data["quotes-0-text"] = "A changed line."
    data["quotes-1-DELETE"] = "on"
    data.update({"quotes-2-position": "3", "quotes-2-text": "A new line."})

    response = client.post(scene.kind_url("edit"), data)

    assert response.status_code == 302
    scene = fresh(scene)
    snapshot = scene.current_revision.snapshot
    assert scene.current_revision.number == 3
    assert snapshot["locations"] == sorted([lax.pk, diner.pk])
    assert sorted(scene.locations.values_list("pk", flat=True)) == snapshot["locations"]
    assert snapshot["quotes"] == [
        {**first, "text": "A changed line."},
        {"position": 3, "speaker": None, "text": "A new line."},
    ]
    assert list(scene.quotes.values_list("position", "speaker", "text")) == [
        (1, neil.pk, "A changed line."),
        (3, None, "A new line."),
    ]
    assert snapshot == take(scene)


def test_edit_adds_and_deletes_a_persons_credit_rows(client, editor):
    person = seeded(Person)
    before = take(person)["credits"]
    assert before, "the seeded person has credits"
    client.force_login(editor)
    data = form_data(client.get(person.kind_url("edit")))
    novel = Work.objects.get(slug="heat-2-novel")
    new = rows_of(data, "credits") - 1  # the one empty row
    data["credits-0-DELETE"] = "on"
    data.update(
        {
            f"credits-{new}-work": str(novel.pk),
            f"credits-{new}-job": Credit.Job.PRODUCER,
            f"credits-{new}-character": "",
            f"credits-{new}-status": Credit.Status.RUMOURED,
            f"credits-{new}-source_url": "https://example.com/report",
        }
    )

    response = client.post(person.kind_url("edit"), data)

    assert response.status_code == 302
    person = fresh(person)
    snapshot = person.current_revision.snapshot
    assert snapshot["credits"] == take(person)["credits"]
    assert len(snapshot["credits"]) == len(before)
    added = {
        "work": novel.pk,
        "job": "producer",
        "character": None,
        "status": "rumoured",
        "source_news": None,
        "source_url": "https://example.com/report",
    }
    assert added in snapshot["credits"]
    assert person.credits.filter(work=novel, job="producer", status="rumoured").exists()
    assert len([row for row in before if row not in snapshot["credits"]]) == 1


def test_an_invalid_credit_row_is_refused_with_its_error(client, editor):
    person = seeded(Person)
    client.force_login(editor)
    data = form_data(client.get(person.kind_url("edit")))
    new = rows_of(data, "credits") - 1  # the one empty row
    data.update({f"credits-{new}-work": "", f"credits-{new}-source_url": "javascript:alert(1)"})

    response = client.post(person.kind_url("edit"), data)

    assert response.status_code == 400
    errors = response.context["formsets"]["credits"].errors[new]
    assert "work" in errors and "source_url" in errors
    assert person.revisions.count() == 1


# Conflicts ---------------------------------------------------------------------------------------


@every_kind
def test_a_stale_overlapping_edit_is_a_409_showing_both_versions(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    rival = factories.UserFactory(username="rival")
    theirs = f"{page.title} (theirs)"
    change(page, rival, title=theirs, body="Intro.\nTheir sentence about the page.\nOutro.")
    data["body"] = "Intro.\nMy sentence about the page.\nOutro."
    data["title"] = f"{page.title} (mine)"

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 409
    html = response.content.decode()
    conflict = section(html, "conflict")
    assert [c["name"] for c in response.context["conflicts"]] == ["title", "body"]
    assert f"<dt>Their version</dt><dd>{escape(theirs)}</dd>" in conflict
    assert f"<dt>Your version</dt><dd>{escape(data['title'])}</dd>" in conflict
    assert "<del>Their</del>" in conflict and "<ins>My</ins>" in conflict
    assert f"<h1>{escape(theirs)}</h1>" in html
    assert "Intro.\nMy sentence about the page.\nOutro." in html  # the textarea keeps mine
    assert f'value="{escape(data["title"])}"' in html
    assert response.context["form"]["base_revision"].value() == "2"
    assert 'name="base_revision" value="2"' in html
    assert page.revisions.count() == 2
    assert fresh(page).body == "Intro.\nTheir sentence about the page.\nOutro."


@every_kind
def test_saving_the_form_again_after_a_conflict_saves_the_editors_text(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    change(page, factories.UserFactory(username="rival"), body="Their body.")
    data["body"] = "My body."
    conflict = client.post(page.kind_url("edit"), data)
    assert conflict.status_code == 409

    response = client.post(page.kind_url("edit"), form_data(conflict))

    assert response.status_code == 302
    page = fresh(page)
    assert page.body == "My body."
    assert (page.current_revision.number, page.current_revision.author) == (3, editor)


@every_kind
def test_a_stale_edit_that_does_not_overlap_is_merged(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    change(page, factories.UserFactory(username="rival"), description="Their description.")
    data["body"] = "My body."

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 302
    page = fresh(page)
    assert (page.description, page.body) == ("Their description.", "My body.")
    assert page.current_revision.number == 3
    assert (
        "Your changes did not overlap theirs, so both were kept: revision 3."
        in (messages_of(response)[0])
    )


@every_kind
def test_a_stale_edit_of_other_lines_of_the_body_is_merged(client, editor, model):
    page = seeded(model)
    change(page, editor, body="One.\n\nTwo.\n\nThree.")
    client.force_login(editor)
    data = form_data(client.get(page.kind_url("edit")))
    change(page, factories.UserFactory(username="rival"), body="One, theirs.\n\nTwo.\n\nThree.")
    # As a browser sends it: CRLF line endings.
    data["body"] = "One.\r\n\r\nTwo.\r\n\r\nThree, mine."

    response = client.post(page.kind_url("edit"), data)

    assert response.status_code == 302
    assert fresh(page).body == "One, theirs.\n\nTwo.\n\nThree, mine."


# History -----------------------------------------------------------------------------------------


def _three_revisions(page, editor):
    rival = factories.UserFactory(username="rival")
    change(page, editor, summary="Added a <b>lot</b>", minor=True, body=page.body + "x" * 1500)
    change(page, rival, summary="Cut it down", body="Short.")


@every_kind
def test_history_lists_revisions_newest_first_with_their_details(client, editor, model):
    page = seeded(model)
    _three_revisions(page, editor)

    response = client.get(page.kind_url("history"))

    assert response.status_code == 200
    html = response.content.decode()
    links = [html.index(f'href="{page.kind_url("revision", number=n)}"') for n in (3, 2, 1)]
    assert links == sorted(links)
    for username in ("rival", "fan", "HeatWiki"):
        assert f'<a href="/users/{username}/">{username}</a>' in html
    assert "Added a &lt;b&gt;lot&lt;/b&gt;" in html and "Cut it down" in html
    assert html.count('<abbr class="minor" title="minor edit">m</abbr>') == 1
    assert ">+1,500</td>" in html
    assert re.search(r">−[\d,]+</td>", html)
    for number in (1, 2, 3):
        assert f'name="from" value="{number}"' in html
        assert f'name="to" value="{number}"' in html
    assert f'action="{page.kind_url("diff")}"' in html


@every_kind
def test_history_is_paginated(client, editor, model):
    page = seeded(model)
    long_history(page, editor, HISTORY_PAGE_SIZE + 5)

    first = client.get(page.kind_url("history"))
    second = client.get(page.kind_url("history"), {"page": 2})

    assert len(first.context["revisions"]) == HISTORY_PAGE_SIZE
    assert 'href="?page=2"' in first.content.decode()
    assert second.status_code == 200
    assert [r.number for r in second.context["revisions"]] == [6, 5, 4, 3, 2, 1]


# Old revisions ------------------------------------------------------------------------------------


@every_kind
def test_an_old_revision_shows_the_page_as_it_was_with_a_banner(client, editor, model):
    page = seeded(model)
    old_title, old_html = page.title, page.body_html
    change(page, editor, title=f"{page.title} renamed", body="A wholly new body.")

    response = client.get(page.kind_url("revision", number=1))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{escape(old_title)}</h1>" in html
    assert old_html in html
    assert "A wholly new body." not in html
    banner = re.search(r'<div class="banner banner--old".*?</div>', html, re.S)[0]
    assert "It is not the current version." in banner
    assert f'href="{page.kind_url("diff")}?from=1&amp;to=2"' in banner


@every_kind
def test_an_old_revision_from_before_a_move_links_to_the_pages_address_now(client, editor, model):
    page = seeded(model)
    old_url = page.get_absolute_url()
    change(page, editor, slug="moved-here", body="Moved.")  # as a moderator can, in the admin
    page = fresh(page)
    client.force_login(editor)

    response = client.get(page.kind_url("revision", number=1))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{old_url}' not in html
    assert f'<a href="{page.get_absolute_url()}">Current version</a>' in html
    assert f'action="{page.kind_url("revert", number=1)}"' in html
    for tab in ("edit", "history", "links"):
        assert f'href="{page.kind_url(tab)}"' in html


@every_kind
def test_the_current_revision_is_shown_without_the_old_revision_warning(client, editor, model):
    page = seeded(model)

    response = client.get(page.kind_url("revision", number=1))

    assert response.status_code == 200
    assert "the current version of the page" in response.content.decode()
    assert "It is not the current version" not in response.content.decode()


@every_kind
@pytest.mark.parametrize("number", [0, 99, 99999999999999999999])
def test_a_missing_revision_is_a_404(client, model, number):
    response = client.get(seeded(model).kind_url("revision", number=number))
    assert response.status_code == 404


def test_an_old_revision_of_a_scene_shows_its_locations_and_quotes_then(client, editor):
    scene = seeded(Scene)
    old_locations = list(scene.locations.all())
    old_quote = scene.quotes.first().text
    assert old_locations
    change(scene, editor, locations=[Location.objects.get(slug="bobs-big-boy").pk], quotes=[])

    html = client.get(scene.kind_url("revision", number=1)).content.decode()

    for location in old_locations:
        assert f'<a href="{location.get_absolute_url()}">' in html
    assert 'href="/locations/bobs-big-boy/"' not in html
    assert escape(old_quote) in html


def test_an_old_revision_of_a_person_shows_their_credits_then(client, editor):
    person = seeded(Person)
    credits = take(person)["credits"]
    characters = Character.objects.filter(pk__in=[row["character"] for row in credits])
    assert characters
    change(person, editor, credits=[])

    old = client.get(person.kind_url("revision", number=1)).content.decode()
    current = client.get(person.get_absolute_url()).content.decode()

    for character in characters:
        assert f'as <a href="{character.get_absolute_url()}">' in old
        assert f'as <a href="{character.get_absolute_url()}">' not in current


# Diff -------------------------------------------------------------------------------------------


@every_kind
def test_diff_marks_changed_words_of_fields(client, editor, model):
    page = seeded(model)
    title = page.title
    change(page, editor, title=f"{title} Alpha", description="An old description.")
    change(page, editor, title=f"{title} Beta", description="A new description.")

    response = client.get(page.kind_url("diff"), {"from": 2, "to": 3})

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{escape(title)} <del>Alpha</del>" in html
    assert f"{escape(title)} <ins>Beta</ins>" in html
    assert "<del>An old</del> description." in html
    assert "<ins>A new</ins> description." in html


@every_kind
def test_diff_shows_body_lines_with_changed_words(client, editor, model):
    page = seeded(model)
    change(page, editor, body="First line.\nThe quick fox.\nLast line.")
    change(page, editor, body="First line.\nThe slow fox.\nLast line.\nAn added line.")

    html = client.get(page.kind_url("diff"), {"from": 2, "to": 3}).content.decode()

    assert "The <del>quick</del> fox." in html
    assert "The <ins>slow</ins> fox." in html
    assert re.search(r"diff-line--insert.*?An added line\.", html, re.S)
    assert re.search(r"diff-line--equal.*?First line\.", html, re.S)


@every_kind
def test_diff_defaults_to_the_latest_change(client, editor, model):
    page = seeded(model)
    change(page, editor, body="Changed.")

    response = client.get(page.kind_url("diff"))

    assert (response.context["old"].number, response.context["new"].number) == (1, 2)


@every_kind
def test_diff_escapes_markup_in_the_body(client, editor, model):
    page = seeded(model)
    change(page, editor, body="Safe line.")
    change(page, editor, body="Safe line.\n<script>alert('x')</script>")

    html = client.get(page.kind_url("diff"), {"from": 2, "to": 3}).content.decode()

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html


@every_kind
@pytest.mark.parametrize("query", [{"from": "x", "to": "1"}, {"from": "1", "to": "2.5"}])
def test_diff_with_revision_numbers_that_are_not_numbers_is_a_400(client, model, query):
    response = client.get(seeded(model).kind_url("diff"), query)
    assert response.status_code == 400
    assert "Revision numbers in from= and to= are whole numbers." in response.content.decode()


@every_kind
@pytest.mark.parametrize("number", ["7", "0", "-1", "99999999999999999999"])
def test_diff_with_a_missing_revision_is_a_404(client, model, number):
    page = seeded(model)
    response = client.get(page.kind_url("diff"), {"from": 1, "to": number})
    assert response.status_code == 404
    html = response.content.decode()
    assert f"{escape(page.title)} has no revision {number}." in html
    assert 'class="site-header"' in html


def test_diff_lists_relations_added_and_removed(client, editor):
    scene = seeded(Scene)
    removed = list(scene.locations.all())
    added = Location.objects.get(slug="bobs-big-boy")
    assert removed and added not in removed
    change(scene, editor, locations=[added.pk])

    html = client.get(scene.kind_url("diff"), {"from": 1, "to": 2}).content.decode()

    items = section(html, "diff-field")
    assert "<h2>Locations</h2>" in items
    for location in removed:
        assert f"Removed: </span><del>{escape(location.title)}</del>" in items
    assert f"Added: </span><ins>{escape(added.title)}</ins>" in items


def test_diff_lists_owned_rows_added_and_removed(client, editor):
    person = seeded(Person)
    rows = take(person)["credits"]
    change(person, editor, credits=rows[1:])

    html = client.get(person.kind_url("diff"), {"from": 1, "to": 2}).content.decode()

    assert "<h2>Credits</h2>" in html
    assert html.count('class="diff-items__removed"') == 1
    assert 'class="diff-items__added"' not in html


# Revert ------------------------------------------------------------------------------------------


@every_kind
def test_revert_saves_the_old_content_as_a_new_revision(client, editor, model):
    page = seeded(model)
    first = page.current_revision.snapshot
    change(page, editor, title=f"{page.title} vandalised", body="Vandalism.")
    client.force_login(editor)

    response = client.post(page.kind_url("revert", number=1))

    assert response.status_code == 302
    page = fresh(page)
    assert response["Location"] == page.get_absolute_url()
    revision = page.current_revision
    assert (revision.number, revision.author, revision.summary) == (
        3,
        editor,
        "Reverted to revision 1",
    )
    assert revision.snapshot == first == take(page)
    assert messages_of(response) == ["Reverted to revision 1, saved as revision 3."]


@every_kind
def test_revert_without_a_csrf_token_is_refused(editor, model):
    page = seeded(model)
    change(page, editor, body="Vandalism.")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)

    response = csrf_client.post(page.kind_url("revert", number=1))

    assert response.status_code == 403
    assert page.revisions.count() == 2


@every_kind
def test_revert_with_the_token_from_the_old_revision_page_works(editor, model):
    page = seeded(model)
    change(page, editor, body="Vandalism.")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    html = csrf_client.get(page.kind_url("revision", number=1)).content.decode()
    action = f'action="{page.kind_url("revert", number=1)}"'
    assert action in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html.split(action)[1])[1]

    response = csrf_client.post(page.kind_url("revert", number=1), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert page.revisions.count() == 3


@every_kind
def test_revert_by_get_is_not_allowed(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    assert client.get(page.kind_url("revert", number=1)).status_code == 405
    assert page.revisions.count() == 1


@every_kind
def test_anonymous_revert_goes_to_sign_in_and_changes_nothing(client, editor, model):
    page = seeded(model)
    change(page, editor, body="Vandalism.")

    response = client.post(page.kind_url("revert", number=1))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert page.revisions.count() == 2
    assert fresh(page).body == "Vandalism."


@every_kind
def test_revert_to_a_missing_revision_is_a_404(client, editor, model):
    page = seeded(model)
    client.force_login(editor)
    assert client.post(page.kind_url("revert", number=9)).status_code == 404
    assert page.revisions.count() == 1


@every_kind
def test_revert_to_the_current_content_saves_nothing_and_says_so(client, editor, model):
    page = seeded(model)
    client.force_login(editor)

    response = client.post(page.kind_url("revert", number=1))

    assert response.status_code == 302
    assert page.revisions.count() == 1
    assert messages_of(response) == ["The page already matches revision 1: nothing to revert."]


@every_kind
def test_revert_to_a_title_another_page_has_taken_since_is_refused(client, editor, model):
    page = seeded(model)
    old_title = page.title
    change(page, editor, title=f"{old_title} renamed")
    FACTORIES[model](title=old_title)
    client.force_login(editor)

    response = client.post(page.kind_url("revert", number=1))

    assert response.status_code == 302
    assert response["Location"] == page.kind_url("history")
    assert messages_of(response) == [
        f"Revision 1 cannot be restored: another {model._meta.verbose_name} now has its title "
        "or address. Nothing was changed."
    ]
    assert fresh(page).title == f"{old_title} renamed"
    assert page.revisions.count() == 2


# What links here ---------------------------------------------------------------------------------


@every_kind
def test_links_lists_the_pages_of_other_kinds_that_link_here(client, model):
    target = seeded(model)
    linking = [
        FACTORIES[other](body=f"About [[{model.url_namespace}:{target.title}]].")
        for other in page_kinds()
        if other is not model
    ]
    unrelated = factories.PersonFactory(body="No links at all.")

    response = client.get(target.kind_url("links"))

    assert response.status_code == 200
    html = response.content.decode()
    assert [page.pk for page in response.context["linking"]] == sorted(
        (page.pk for page in linking), key=lambda pk: WikiPage.objects.get(pk=pk).title
    )
    for page in linking:
        assert f'<a href="{page.get_absolute_url()}">{escape(page.title)}</a>' in html
    assert unrelated.get_absolute_url() not in html


@every_kind
def test_links_says_so_when_nothing_links_here_and_how_to_link(client, model):
    page = seeded(model)
    response = client.get(page.kind_url("links"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No page links here yet." in html
    assert f"<code>[[{escape(page.title)}]]</code>" in html


def test_links_suggests_naming_the_kind_when_the_title_leads_elsewhere(client):
    # A character has this title too, and a bare [[Neil McCauley]] goes to the character.
    person = Person.objects.get(slug="neil-mccauley")
    html = client.get(person.kind_url("links")).content.decode()
    assert "<code>[[person:Neil McCauley]]</code>" in html
    assert person.get_absolute_url() in render_markdown("[[person:Neil McCauley]]")
    assert person.get_absolute_url() not in render_markdown("[[Neil McCauley]]")


def test_the_tests_cover_every_kind():
    assert sorted(SEEDED) == sorted(model.url_namespace for model in page_kinds())
    assert set(FACTORIES) == set(page_kinds())
