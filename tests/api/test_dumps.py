"""Open data dumps: dump_wiki writes every page (and, if asked, every visible revision) with a
manifest whose checksums match, /dumps/ publishes it, and load_dump puts it back into an empty
database with the same pages and relations."""

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from heatwiki.api.dumps import latest_manifest, verify
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.models import StoredImage, WikiPage
from heatwiki.wiki.moderation import hide_revision
from heatwiki.wiki.services import save_page
from heatwiki.wiki.snapshot import same_content, take
from people.models import Role
from scenes.models import Location, Scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def lines(path: Path) -> list[dict]:
    with gzip.open(path, "rt") as dump:
        return [json.loads(line) for line in dump]


def every_page() -> dict[int, dict]:
    return {page.pk: take(page) for model in page_kinds() for page in model.objects.all()}


def test_a_dump_has_every_page_a_manifest_and_matching_checksums(media, client):
    call_command("dump_wiki", "--base-url", "https://heatwiki.example", stdout=None)
    manifest = latest_manifest()
    assert manifest["license"]["name"] == "CC BY-SA 4.0"
    assert not verify(manifest)
    files = {entry["format"]: entry for entry in manifest["files"]}
    pages = [r for r in lines(media / files["ndjson"]["name"]) if r["type"] == "page"]
    assert len(pages) == WikiPage.objects.count() == sum(manifest["counts"].values())
    linked = lines(media / files["json-ld"]["name"])
    assert {item["@context"] for item in linked} == {"https://schema.org"}
    assert {item["@type"] for item in linked} >= {"Movie", "Person", "Place", "NewsArticle"}
    assert linked[0]["url"].startswith("https://heatwiki.example/")
    page = client.get(reverse("dumps")).content.decode()
    assert files["ndjson"]["sha256"] in page and "CC BY-SA 4.0" in page


def test_a_changed_file_no_longer_matches_its_checksum(media):
    call_command("dump_wiki", stdout=None)
    manifest = latest_manifest()
    (media / manifest["files"][0]["name"]).write_bytes(b"tampered")
    assert verify(manifest) == [manifest["files"][0]["name"]]


def test_revisions_are_dumped_without_hidden_content(media, editor, moderator):
    place = Location.objects.get(slug="lax")
    outcome = save_page(page=place, data={**take(place), "body": "Secret."}, author=editor)
    hide_revision(revision=outcome.revision, moderator=moderator, reason="Privacy")
    call_command("dump_wiki", "--revisions", stdout=None)
    history = next(f for f in latest_manifest()["files"] if "revisions" in f["name"])
    records = lines(media / history["name"])
    hidden = [r for r in records if r["page_id"] == place.pk and r["number"] == 2]
    assert len(hidden) == 1 and "data" not in hidden[0] and "title" not in hidden[0]
    assert hidden[0]["hidden"] and "Secret" not in json.dumps(records)


def test_loading_a_dump_into_an_empty_database_gives_the_same_pages(media):
    before = every_page()
    call_command("dump_wiki", stdout=None)
    pages_file = media / next(
        f["name"] for f in latest_manifest()["files"] if f["format"] == "ndjson"
    )
    Scene.objects.all().delete()  # scenes protect their works
    WikiPage.objects.all().delete()
    Role.objects.all().delete()
    StoredImage.objects.all().delete()  # file pages' images are rows like roles

    call_command("load_dump", str(pages_file), stdout=None)

    after = every_page()
    assert after.keys() == before.keys()
    assert all(same_content(after[pk], before[pk]) for pk in before)
    # New pages take ids the dump did not use.
    new = Location.objects.create(title="A new place", slug="a-new-place")
    assert new.pk not in before


def test_a_dump_loads_only_into_an_empty_database(media):
    call_command("dump_wiki", stdout=None)
    name = next(f["name"] for f in latest_manifest()["files"] if f["format"] == "ndjson")
    with pytest.raises(CommandError, match="empty"):
        call_command("load_dump", str(media / name), stdout=None)


def test_the_dumps_page_says_when_there_is_none_yet(media, client):
    response = client.get(reverse("dumps"))
    assert (
        response.status_code == 200
        and "No dump has been published yet" in response.content.decode()
    )
