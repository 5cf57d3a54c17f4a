"""Open data dumps: every page with its fields and relations (and, if asked, every revision) as
gzipped NDJSON, a JSON-LD variant in the schema.org types the pages declare, and a manifest with
counts, SHA-256 checksums and the licence. Written to the media storage (local disk or S3)
under ``dumps/``; ``dumps/latest.json`` is the newest manifest, which /dumps/ shows.

Lines of ``pages.ndjson.gz``::

    {"type": "row", "model": "people.role", "id": 3, "fields": {...}}       rows pages link to
    {"type": "page", "kind": "scenes", "id": 12, "revision": 4, ..., "data": {snapshot}}

A page's ``data`` is its current revision's snapshot: every field and relation, related pages
and rows by id, owned rows as objects. ``load_dump`` puts such a file into an empty database.
"""

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from heatwiki.wiki.kinds import kind_model, page_kinds
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.replay import apply_relations
from heatwiki.wiki.services import record_revision, system_account
from heatwiki.wiki.snapshot import from_json, m2m_fields, owned_relations, scalar_fields

from . import access
from .serializers import LICENSE

FOLDER = "dumps"
LATEST = f"{FOLDER}/latest.json"
FORMAT_VERSION = 1


def _row_models() -> list[type[models.Model]]:
    """Models that pages link to (through their fields, relations or owned rows) that are not
    pages themselves, such as a person's roles: their rows go in the dump too."""
    found: dict[str, type[models.Model]] = {}
    for model in page_kinds():
        fields = [*scalar_fields(model), *m2m_fields(model)]
        fields += [f for _, _, row_fields in owned_relations(model) for f in row_fields]
        for f in fields:
            target = f.related_model if f.is_relation else None
            if target is not None and not issubclass(target, WikiPage):
                found[target._meta.label_lower] = target
    return [found[label] for label in sorted(found)]


def _row_values(row: models.Model) -> dict:
    return {
        f.name: f.value_from_object(row)
        for f in row._meta.concrete_fields
        if not f.primary_key and not f.is_relation
    }


def _line(data: dict) -> bytes:
    return (json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n").encode()


@dataclass
class DumpFile:
    """A gzipped file being written to a temporary file, counted and checksummed."""

    name: str
    format: str
    records: int = 0
    handle: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.handle = tempfile.NamedTemporaryFile(suffix=".gz", delete=False)  # noqa: SIM115
        # No file name or time inside: the same content gives the same bytes.
        self.gzip = gzip.GzipFile(fileobj=self.handle, mode="wb", mtime=0, filename="")

    def write(self, data: dict) -> None:
        self.gzip.write(_line(data))
        self.records += 1

    def publish(self, folder: str) -> dict:
        self.gzip.close()
        self.handle.close()
        digest = hashlib.sha256()
        with open(self.handle.name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 16), b""):
                digest.update(chunk)
            size = stored.tell()
            stored.seek(0)
            name = default_storage.save(f"{folder}/{self.name}", File(stored))
        os.unlink(self.handle.name)
        return {
            "name": name,
            "format": self.format,
            "records": self.records,
            "bytes": size,
            "sha256": digest.hexdigest(),
        }


def page_record(page: WikiPage, revision: Revision) -> dict:
    return {
        "type": "page",
        "kind": page.page_kind,
        "id": page.pk,
        "title": page.title,
        "slug": page.slug,
        "revision": revision.number,
        "created_at": page.created_at,
        "updated_at": page.updated_at,
        "body_html": revision.body_html,
        "data": revision.snapshot,
    }


def write_dump(*, with_revisions: bool = False, base_url: str = "") -> dict:
    """Write a dump to the media storage and return its manifest (also saved as latest)."""
    now = timezone.now()
    folder = f"{FOLDER}/{now:%Y%m%dT%H%M%SZ}"
    pages = DumpFile("pages.ndjson.gz", "ndjson")
    linked = DumpFile("pages.jsonld.gz", "json-ld")
    counts: dict[str, int] = {}
    for row_model in _row_models():
        for row in row_model._default_manager.order_by("pk").iterator():
            pages.write(
                {
                    "type": "row",
                    "model": row_model._meta.label_lower,
                    "id": row.pk,
                    "fields": _row_values(row),
                }
            )
    for model in page_kinds():
        queryset = access.pages(model).for_page().select_related("current_revision").order_by("pk")
        counts[model.url_namespace] = 0
        for page in queryset:
            if page.current_revision is None:
                continue
            pages.write(page_record(page, page.current_revision))
            linked.write(
                {
                    "@context": "https://schema.org",
                    **page.structured_data(),
                    "url": base_url + page.get_absolute_url(),
                    "identifier": f"{page.page_kind}/{page.slug}",
                    "license": LICENSE["url"],
                }
            )
            counts[model.url_namespace] += 1
    files = [pages.publish(folder), linked.publish(folder)]
    if with_revisions:
        history = DumpFile("revisions.ndjson.gz", "ndjson")
        revisions = Revision.objects.select_related("author").order_by("page_id", "number")
        for revision in revisions.iterator(chunk_size=500):
            record = {
                "type": "revision",
                "page_id": revision.page_id,
                "number": revision.number,
                "created_at": revision.created_at,
                "author": revision.author.username,
                "minor": revision.minor,
                "size": revision.size,
                "hidden": revision.is_hidden,
            }
            # Hidden revisions are withheld from everyone but moderators: not in a dump.
            if not revision.is_hidden:
                record.update(
                    title=revision.title, summary=revision.summary, data=revision.snapshot
                )
            history.write(record)
        counts["revisions"] = history.records
        files.append(history.publish(folder))
    manifest = {
        "format_version": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "license": {
            **LICENSE,
            "notice": "HeatWiki's content, by its contributors, under CC BY-SA 4.0: credit "
            "HeatWiki and share alike.",
        },
        "counts": counts,
        "files": files,
    }
    body = json.dumps(manifest, indent=2).encode()
    _replace(f"{folder}/manifest.json", body)
    _replace(LATEST, body)
    return manifest


def _replace(name: str, content: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(content)
        buffer.seek(0)
        default_storage.save(name, File(buffer))


def latest_manifest() -> dict | None:
    if not default_storage.exists(LATEST):
        return None
    with default_storage.open(LATEST, "rb") as stored:
        return json.load(stored)


def verify(manifest: dict) -> list[str]:
    """The names of the manifest's files whose checksum does not match what is stored."""
    wrong = []
    for entry in manifest["files"]:
        digest = hashlib.sha256()
        with default_storage.open(entry["name"], "rb") as stored:
            for chunk in iter(lambda: stored.read(1 << 16), b""):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            wrong.append(entry["name"])
    return wrong


# Loading --------------------------------------------------------------------------------------


class DumpError(Exception):
    """The dump cannot be loaded: a wrong file, or a database that is not empty."""


def read_lines(path: str):
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                yield json.loads(line)
            except ValueError:
                raise DumpError(f"Line {number} is not JSON.") from None


def load_dump(path: str) -> dict[str, int]:
    """Load a ``pages.ndjson.gz`` into an empty database: the rows, then the pages with their
    ids, fields and relations, each recorded as revision 1 by the system account."""
    if WikiPage.objects.exists():
        raise DumpError("The database has pages already: load a dump into an empty one.")
    row_models = {model._meta.label_lower: model for model in _row_models()}
    author = system_account()
    counts: dict[str, int] = {}
    with transaction.atomic():
        # Links between pages are checked when the transaction commits (deferred constraints),
        # so pages go in in the dump's order whatever they link to.
        loaded = []
        for record in read_lines(path):
            if record.get("type") == "row":
                model = row_models.get(record.get("model"))
                if model is None:
                    raise DumpError(f"Unknown row model {record.get('model')!r}.")
                model._default_manager.create(pk=record["id"], **record["fields"])
                counts[record["model"]] = counts.get(record["model"], 0) + 1
            elif record.get("type") == "page":
                try:
                    model = kind_model(record["kind"])
                except LookupError:
                    raise DumpError(f"Unknown page kind {record.get('kind')!r}.") from None
                page = model(pk=record["id"], id=record["id"])
                for f in scalar_fields(model):
                    if f.name in record["data"]:
                        setattr(page, f.attname, from_json(f, record["data"][f.name]))
                page.save()
                loaded.append((page, record["data"]))
                counts[record["kind"]] = counts.get(record["kind"], 0) + 1
        for page, data in loaded:
            apply_relations(page, data)
        for page, _ in loaded:
            record_revision(page=page, author=author, summary="Loaded from a dump")
        _reset_sequences([WikiPage, *row_models.values()])
    return counts


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """Rows were inserted with their ids: the next new row must not take one of them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def dumps_page(request: HttpRequest) -> HttpResponse:
    """/dumps/: the latest dump's files, with their sizes, checksums and the licence."""
    manifest = latest_manifest()
    files = []
    for entry in (manifest or {}).get("files", []):
        files.append({**entry, "url": default_storage.url(entry["name"])})
    context = {"manifest": manifest, "files": files, "license": LICENSE}
    return render(request, "api/dumps.html", context)
