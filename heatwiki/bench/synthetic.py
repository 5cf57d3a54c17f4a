"""Synthetic wiki content in bulk, for measuring HeatWiki at scale.

Pages of every kind with their relations (scenes with their work, characters and locations,
credits, news about people and works), wiki links between them, search documents, and a
history for every page, written by a crowd of synthetic users. The shape is skewed the way
real wikis are: a few users make a large share of the edits, and a few pages have thousands
of revisions while most have a handful.

Everything a revision save would write is written here too, consistently — the current
revision, rendered and link-resolved HTML, snapshots that ``take()`` would produce, sizes,
stored links, search documents — but with COPY (PostgreSQL) or executemany (SQLite) instead
of the revision service, which would take hours for a million revisions.

Bodies are two paragraphs: an introduction with wiki links, rendered once per page by the
real Markdown pipeline, and an edit note that changes with every revision, rendered once per
sentence. Markdown renders paragraphs independently, so their HTML is the concatenation.
"""

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from heatwiki.news.models import NewsItem
from heatwiki.search.index import body_text, clean, fields_texts
from heatwiki.search.models import SearchDocument
from heatwiki.wiki.images import store_upload
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.links import resolve_links
from heatwiki.wiki.markdown import render_unlinked
from heatwiki.wiki.models import FilePage, PageLink, Revision, WikiPage
from heatwiki.wiki.snapshot import (
    canonical_rows,
    m2m_fields,
    owned_relations,
    scalar_fields,
    to_json,
)
from heatwiki.wiki.titles import title_key
from heatwiki.works.models import Work
from people.models import Character, Person, Role
from scenes.models import Location, Scene

from .bulk import insert_rows, next_id, reset_sequences

# Each kind's share of the pages; scenes take what rounding leaves.
SHARES = {
    Work: 0.02,
    Person: 0.20,
    Character: 0.18,
    Location: 0.15,
    NewsItem: 0.10,
    FilePage: 0.05,
}
# How many pages get a very long history, and their share of the revisions beyond the first.
LONG_HISTORIES = 5
LONG_SHARE = 0.10
# The busiest users' shares of all revisions; everyone else shares the rest evenly.
BUSY_SHARES = (0.20, 0.12, 0.08)
# The history spans this long, ending now.
SPAN = timedelta(days=3 * 365)

FIRST = "Alex Dana Lou Sam Rosa Vic Mara Eddie Nate Lena Joe Tess Hugo Ivy Ray Nina Cal Ada".split()
LAST = (
    "Moreno Kline Baxter Ortiz Malone Reyes Dunn Foley Hale Kerr Lowe Novak Pryor Quinn "
    "Soto Vance Wade Yates Zamora Burke"
).split()
PLACES = "Harbor Freeway Diner Motel Airfield Rooftop Marina Refinery Canyon Depot Yard".split()
MOODS = "Quiet Late Cold Long Final Second Early Blue Hard Last".split()
EVENTS = "Stand-off Heist Meeting Chase Call Drive Ambush Escape Deal Farewell".split()
CITIES = ["Los Angeles", "Chicago", "Long Beach", "Pasadena", "Glendale", "Santa Monica"]
OUTLETS = ["Trade Weekly", "Screen Daily", "Coast Herald", "Film Ledger"]
SUMMARIES = [
    "Copy edit",
    "Added detail",
    "Rewrote the opening",
    "Fixed a link",
    "Sourced a claim",
    "Tidied wording",
    "",
]
EDIT_NOTES = [
    "The crew rehearsed the sequence for weeks before the cameras rolled",
    "Later accounts disagree about how long the take lasted",
    "Several details here come from interviews given years afterwards",
    "The location was dressed to look older than it was",
    "A longer version of the moment exists in early cuts",
    "Fans often point to this as a turning point of the story",
    "The score was added late and changed the mood of the scene",
    "Some of the dialogue was improvised on the day",
    "Reviewers at the time singled this out for praise",
    "The lighting was kept natural wherever the schedule allowed",
]
PAGE_COLUMNS = (
    "id page_kind title title_key slug description body body_html current_revision_id "
    "created_at updated_at protected_at protected_by_id protection_reason "
    "deleted_at deleted_by_id deletion_reason"
).split()
REVISION_COLUMNS = (
    "id page_id number author_id created_at summary minor title size size_change snapshot "
    "body_html hidden_at hidden_by_id hidden_reason moved_from_title moved_from_slug"
).split()
NUMBER = "EDITNUMBER"  # stands for the revision number in an edit note rendered once


@dataclass
class Page:
    id: int
    model: type[WikiPage]
    title: str
    slug: str
    description: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # the kind's own columns, by attname
    m2m: dict[str, list[int]] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # owned rows
    intro: str = ""
    intro_html: str = ""  # rendered, wiki links resolved
    links: dict = field(default_factory=dict)  # Target → its page (or None): stored links
    revisions: int = 1
    first_revision_id: int = 0
    times: list = field(default_factory=list)  # each revision's time, oldest first
    body: str = ""  # the current revision's
    body_html: str = ""


def _synthetic_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), (60, 80, 110)).save(out, "PNG")
    return out.getvalue()


class Synthesizer:
    """Builds the content in memory, then writes it table by table."""

    def __init__(
        self,
        pages: int,
        revisions: int,
        *,
        seed: int = 1,
        log: Callable[[str], None] = print,
    ) -> None:
        kinds = page_kinds()
        if pages < len(kinds):
            raise ValueError(f"Ask for at least {len(kinds)} pages: one of each kind.")
        if revisions < pages:
            raise ValueError("Every page needs a revision: ask for at least as many as pages.")
        self.page_count, self.revision_count = pages, revisions
        self.random = random.Random(seed)
        self.log = log
        self.now = timezone.now()
        self.pages: list[Page] = []
        self.by_kind: dict[type[WikiPage], list[Page]] = {model: [] for model in kinds}
        self.users: list[int] = []
        self.started = time.monotonic()

    # Progress ------------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    # The plan ------------------------------------------------------------------------------

    def kind_counts(self) -> dict[type[WikiPage], int]:
        counts = {model: max(1, int(self.page_count * share)) for model, share in SHARES.items()}
        counts[Scene] = self.page_count - sum(counts.values())
        return {model: counts[model] for model in page_kinds()}

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.create_users()
            self.plan_pages()
            self.plan_relations()
            self.plan_revisions()
            self.render_intros()
            written = self.write()
            reset_sequences(WikiPage, Revision)
        self.analyze()
        self.say(
            f"Done: {written['pages']:,} pages and {written['revisions']:,} revisions "
            f"by {len(self.users):,} users."
        )
        return written

    def create_users(self) -> None:
        User = get_user_model()
        count = max(20, min(2_000, self.page_count // 50))
        tag = next_id(User)
        password = make_password(None)  # synthetic users cannot sign in
        users = [
            User(
                username=f"{self.random.choice(FIRST).lower()}.{self.random.choice(LAST).lower()}"
                f".{tag + n}",
                password=password,
                date_joined=self.now - SPAN,
            )
            for n in range(count)
        ]
        User.objects.bulk_create(users, batch_size=1_000)
        names = [user.username for user in users]
        ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
        self.users = [ids[name] for name in names]
        self.say(f"{count:,} users")

    def plan_pages(self) -> None:
        page_id = next_id(WikiPage)
        for model, count in self.kind_counts().items():
            for _ in range(count):
                title = self.title_for(model, page_id)
                page = Page(page_id, model, title, slugify(title))
                self.pages.append(page)
                self.by_kind[model].append(page)
                page_id += 1
        self.say(f"{len(self.pages):,} pages planned")

    def title_for(self, model: type[WikiPage], page_id: int) -> str:
        """A title no other page has: the id makes it unique across kinds and runs."""
        pick = self.random.choice
        if model is Work:
            words = f"{pick(MOODS)} {pick(PLACES)}"
        elif model is Scene:
            words = f"{pick(MOODS)} {pick(PLACES)} {pick(EVENTS)}"
        elif model in (Person, Character):
            words = f"{pick(FIRST)} {pick(LAST)}"
        elif model is Location:
            words = f"{pick(LAST)} {pick(PLACES)}"
        elif model is FilePage:
            words = f"{pick(PLACES)} still"
        else:
            words = f"{pick(FIRST)} {pick(LAST)} {pick(['joins', 'leaves', 'talks about'])}"
        return f"{words} {page_id}"

    def plan_relations(self) -> None:
        r = self.random
        works, people = self.by_kind[Work], self.by_kind[Person]
        characters, locations = self.by_kind[Character], self.by_kind[Location]
        news, scenes = self.by_kind[NewsItem], self.by_kind[Scene]
        roles = list(Role.objects.values_list("pk", flat=True))

        for work in works:
            released = r.random() < 0.85
            work.values = {
                "kind": r.choice(["film", "film", "novel"]),
                "year": r.randint(1960, 2024) if released else None,
                "status": "released" if released else r.choice(["in_production", "announced"]),
            }
            work.description = f"A {work.values['kind']} of the Heat universe."
            work.intro = (
                f"*{work.title}* is a {work.values['kind']} about crews, detectives and the "
                f"city at night. See also [[Unwritten topic {work.id % 97}]]."
            )
        if self.by_kind.get(FilePage):
            # Every synthetic file shows the same small image, made with Pillow once.
            stored = store_upload(_synthetic_png()).pk
            for n, file_page in enumerate(self.by_kind[FilePage]):
                file_page.values = {
                    "upload_id": stored,
                    "alt_text": f"A still of {file_page.title}",
                    "credit": f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}",
                    "licence": "cc0",
                }
                file_page.description = "An image of the stories."
        for person in people:
            person.m2m["roles"] = sorted(r.sample(roles, min(len(roles), r.randint(1, 2))))
            person.description = "A person who worked on the stories."
        for character in characters:
            character.m2m["works"] = sorted({r.choice(works).id for _ in range(r.randint(1, 2))})
            inspired = r.choice(people).id if r.random() < 0.2 else None
            character.values = {"inspired_by_id": inspired}
            character.description = "A character of the stories."
            character.intro = (
                f"{character.title} appears in [[{self.title_of(character.m2m['works'][0])}]]"
                f" and is remembered for a single *decisive* choice."
            )
        for location in locations:
            has_coordinates = r.random() < 0.7
            location.values = {
                "address": f"{r.randint(1, 9999)} {r.choice(LAST)} Street",
                "city": r.choice(CITIES),
                "latitude": Decimal(f"{r.uniform(33.5, 34.5):.5f}") if has_coordinates else None,
                "longitude": Decimal(f"{r.uniform(-118.9, -117.9):.5f}")
                if has_coordinates
                else None,
                "stands_for": r.choice(["", "a police station", "a safe house", "a bank"]),
                "still_standing": r.choice([True, False, None]),
                "visitor_notes": "",
            }
            location.description = f"A filming location in {location.values['city']}."
        positions: dict[int, int] = {}
        for scene in scenes:
            work = r.choice(works)
            positions[work.id] = positions.get(work.id, 0) + 1
            start = r.randint(60, 9_000)
            scene.values = {
                "work_id": work.id,
                "position": positions[work.id],
                "start_timecode": timedelta(seconds=start),
                "end_timecode": timedelta(seconds=start + r.randint(30, 600)),
                "featured": False,
            }
            cast = sorted({r.choice(characters).id for _ in range(r.randint(1, 3))})
            scene.m2m["characters"] = cast
            scene.m2m["locations"] = sorted(
                {r.choice(locations).id for _ in range(r.randint(1, 2))}
            )
            scene.rows["quotes"] = [
                {"position": n, "speaker": r.choice(cast), "text": f"Line {n} of {scene.title}."}
                for n in range(1, r.randint(0, 2) + 1)
            ]
            scene.description = f"A scene of {work.title}."
            place = self.title_of(scene.m2m["locations"][0])
            length = scene.values["end_timecode"] - scene.values["start_timecode"]
            scene.intro = (
                f"In this scene of [[{work.title}]], [[{self.title_of(cast[0])}]] arrives at "
                f"[[{place}]]. It runs **{length}**."
            )
        for item in news:
            item.values = {
                "published_on": date(2020, 1, 1) + timedelta(days=r.randint(0, 2_000)),
                "source_name": r.choice(OUTLETS),
                "source_url": f"https://news.example.com/{item.slug}",
                "claim_status": r.choice(["rumour", "reported", "confirmed", "denied"]),
            }
            item.m2m["people"] = sorted({r.choice(people).id for _ in range(r.randint(1, 2))})
            item.m2m["works"] = [r.choice(works).id]
            item.description = "A report about the Heat universe."
            item.intro = (
                f"{item.values['source_name']} reports news about "
                f"[[{self.title_of(item.m2m['people'][0])}]] and "
                f"[[{self.title_of(item.m2m['works'][0])}]]."
            )
        for person in people:
            credits, used = [], set()
            for _ in range(r.randint(1, 2)):
                if r.random() < 0.7:
                    character = r.choice(characters)
                    work_id = character.m2m["works"][0]
                    credit = {"work": work_id, "job": "actor", "character": character.id}
                else:
                    job = r.choice(["director", "writer", "producer", "editor"])
                    credit = {"work": r.choice(works).id, "job": job, "character": None}
                # One credit per work: take() lists a page's credits in the database's order
                # (by the characters' titles, in its collation), which the snapshot written
                # here could not match for two roles in one work.
                if credit["work"] in used:
                    continue
                used.add(credit["work"])
                credit.update(status="confirmed", source_news=None, source_url="")
                credits.append(credit)
            person.rows["credits"] = credits
            first = credits[0]
            played = f" as [[{self.title_of(first['character'])}]]" if first["character"] else ""
            person.intro = (
                f"{person.title} worked on [[{self.title_of(first['work'])}]] "
                f"({first['job']}){played}."
            )
        for location in locations:
            location.intro = (
                f"{location.title} is in {location.values['city']}. Crews came back to it for "
                f"[[{self.title_of(r.choice(works).id)}]]."
            )
        self.say("relations planned")

    def title_of(self, page_id: int) -> str:
        return self.pages[page_id - self.pages[0].id].title

    def plan_revisions(self) -> None:
        """How many revisions each page has: the counts add up to exactly what was asked."""
        r = self.random
        extra = self.revision_count - self.page_count
        # Small runs (tests) get one long history, still long enough for two history pages.
        long_count = min(LONG_HISTORIES, max(1, extra // 200))
        long_pages = [kind_pages[0] for kind_pages in self.by_kind.values()][:long_count]
        long_each = max(int(extra * LONG_SHARE) // long_count, min(61, extra // 2))
        for page in long_pages:
            page.revisions += long_each
        extra -= long_each * len(long_pages)
        count = len(self.pages)
        for _ in range(extra):
            # Squaring skews edits towards some pages, as readers' interest does.
            self.pages[int(count * r.random() ** 2)].revisions += 1
        revision_id = next_id(Revision)
        for page in self.pages:
            page.first_revision_id = revision_id
            revision_id += page.revisions
        longest = max(self.pages, key=lambda page: page.revisions)
        self.say(f"revisions planned; the longest history: {longest.title}, {longest.revisions:,}")

    def render_intros(self) -> None:
        """Each page's first paragraph through the real pipeline, links resolved in memory."""
        urls = {
            model: reverse(f"{model.url_namespace}:detail", kwargs={"slug": "SLUG"})
            for model in page_kinds()
        }
        targets = {}
        for page in self.pages:
            url = urls[page.model].replace("SLUG", page.slug)
            targets[title_key(page.title)] = SimpleNamespace(
                pk=page.id, get_absolute_url=lambda url=url: url
            )

        def find(found):
            return {target: targets.get(target.key) for target in found}

        for page in self.pages:
            if not page.intro:
                page.intro = f"{page.title} is part of the Heat universe."
            page.intro_html, page.links = resolve_links(render_unlinked(page.intro), find)
        self.say("bodies rendered")

    # Writing --------------------------------------------------------------------------------

    def body(self, page: Page, number: int, notes: dict[str, str]) -> tuple[str, str]:
        """Revision ``number``'s body and HTML: the introduction and an edit note."""
        note = EDIT_NOTES[(page.id + number) % len(EDIT_NOTES)]
        text = f"{note} (edit {NUMBER})."
        if text not in notes:
            notes[text] = render_unlinked(text)
        number_text = str(number)
        body = f"{page.intro}\n\n{text.replace(NUMBER, number_text)}"
        return body, page.intro_html + notes[text].replace(NUMBER, number_text)

    def base_snapshot(self, page: Page) -> dict[str, Any]:
        """Everything ``take()`` records but the body, in its order."""
        model = page.model
        own = {"title": page.title, "slug": page.slug, "description": page.description}
        data = {}
        for f in scalar_fields(model):
            if f.name == "body":
                continue
            value = own[f.name] if f.name in own else page.values.get(f.attname, f.get_default())
            data[f.name] = to_json(f, value)
        for f in m2m_fields(model):
            data[f.name] = sorted(page.m2m.get(f.name, []))
        for name, _, row_fields in owned_relations(model):
            data[name] = canonical_rows(
                [
                    {f.name: to_json(f, row.get(f.name)) for f in row_fields}
                    for row in page.rows[name]
                ]
            )
        return data

    def revision_times(self, page: Page) -> list:
        r = self.random
        oldest = SPAN.total_seconds()
        start = oldest if page.revisions > 1_000 else oldest * r.random()
        offsets = sorted((r.uniform(0, start) for _ in range(page.revisions)), reverse=True)
        return [self.now - timedelta(seconds=offset) for offset in offsets]

    def author(self) -> int:
        draw = self.random.random()
        for user, share in zip(self.users, BUSY_SHARES, strict=False):
            if draw < share:
                return user
            draw -= share
        return self.random.choice(self.users[len(BUSY_SHARES) :])

    def write(self) -> dict[str, int]:
        notes: dict[str, str] = {}
        written = {"pages": 0, "revisions": 0}
        for page in self.pages:
            page.times = self.revision_times(page)
            page.body, page.body_html = self.body(page, page.revisions, notes)
        written["pages"] = insert_rows(
            WikiPage._meta.db_table, PAGE_COLUMNS, (self.page_row(page) for page in self.pages)
        )
        self.say(f"{written['pages']:,} pages written")
        for model, pages in self.by_kind.items():
            self.write_kind(model, pages)
        self.say("kinds, relations and owned rows written")

        def revision_rows() -> Iterator[tuple]:
            for page in self.pages:
                base = self.base_snapshot(page)
                prefix = json.dumps(base)[:-1] + ', "body": '
                previous_size = 0
                for number in range(1, page.revisions + 1):
                    body, html = self.body(page, number, notes)
                    size = len(body.encode())
                    minor = number > 1 and self.random.random() < 0.2
                    summary = "Created the page" if number == 1 else self.random.choice(SUMMARIES)
                    revision_id = page.first_revision_id + number - 1
                    author, created_at = self.author(), page.times[number - 1]
                    snapshot = prefix + json.dumps(body) + "}"
                    yield (
                        *(revision_id, page.id, number, author, created_at, summary, minor),
                        *(page.title, size, size - previous_size, snapshot, html, None, None, ""),
                        *("", ""),
                    )
                    previous_size = size
                    written["revisions"] += 1
                    if written["revisions"] % 100_000 == 0:
                        self.say(f"{written['revisions']:,} revisions")

        insert_rows(Revision._meta.db_table, REVISION_COLUMNS, revision_rows())
        self.say(f"{written['revisions']:,} revisions written")
        links = insert_rows(
            PageLink._meta.db_table,
            ["source_id", "target_kind", "target_key", "target_id"],
            (
                (page.id, target.kind, target.key, getattr(found, "pk", None))
                for page in self.pages
                for target, found in page.links.items()
            ),
        )
        self.say(f"{links:,} wiki links written")
        self.write_search_documents()
        return written

    @staticmethod
    def page_row(p: Page) -> tuple:
        current = p.first_revision_id + p.revisions - 1
        return (
            *(p.id, p.model.url_namespace, p.title, title_key(p.title), p.slug, p.description),
            *(p.body, p.body_html, current, p.times[0], p.times[-1], None, None, ""),
            *(None, None, ""),
        )

    def write_kind(self, model: type[WikiPage], pages: list[Page]) -> None:
        own = list(model._meta.local_concrete_fields)
        insert_rows(
            model._meta.db_table,
            [f.column for f in own],
            (
                tuple(
                    page.id if f.primary_key else page.values.get(f.attname, f.get_default())
                    for f in own
                )
                for page in pages
            ),
        )
        for f in m2m_fields(model):
            through = f.remote_field.through
            insert_rows(
                through._meta.db_table,
                [f.m2m_column_name(), f.m2m_reverse_name()],
                ((page.id, other) for page in pages for other in page.m2m.get(f.name, [])),
            )
        for name, row_model, row_fields in owned_relations(model):
            owner = model._meta.get_field(name).field
            insert_rows(
                row_model._meta.db_table,
                [owner.column, *(f.column for f in row_fields)],
                (
                    (page.id, *(row.get(f.name) for f in row_fields))
                    for page in pages
                    for row in page.rows[name]
                ),
            )

    def write_search_documents(self) -> None:
        batch = 2_000
        count = 0

        def rows() -> Iterator[tuple]:
            nonlocal count
            for model, pages in self.by_kind.items():
                for start in range(0, len(pages), batch):
                    chunk = pages[start : start + batch]
                    snapshots = [self.base_snapshot(page) for page in chunk]
                    for page, fields in zip(chunk, fields_texts(model, snapshots), strict=True):
                        count += 1
                        yield page.id, clean(page.title), clean(fields), body_text(page.body_html)

        # The related titles are read before COPY starts: one statement at a time per cursor.
        documents = list(rows())
        insert_rows(
            SearchDocument._meta.db_table,
            ["page_id", "title", "fields_text", "body_text"],
            documents,
        )
        self.say(f"{count:,} search documents written")

    def analyze(self) -> None:
        """Fresh planner statistics; on PostgreSQL also the visibility map for index-only scans."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            return
        with connection.cursor() as cursor:
            for model in [WikiPage, Revision, PageLink, SearchDocument, *page_kinds()]:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            # The rest (users, relations' tables): the planner misjudges joins without it.
            cursor.execute("ANALYZE")
        self.say("tables vacuumed and analysed")
