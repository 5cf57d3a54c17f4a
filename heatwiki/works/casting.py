"""A work's casting tracker: every role with its current person and status, and how each
role's status changed, read back from the people's revisions and the news they cite.

A credit belongs to its person's page (``Person.owned_rows``), so every change of a credit's
status, person or source is a revision of a person's page. Replaying those revisions in time
order gives each role's steps: "rumoured → in talks (TheWrap) → joined", each linked to the
revision that recorded it and the news item or address given as its source.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse

from heatwiki.wiki.models import Revision

from .models import Work

# How far along a casting is: a step to a lower rank went backwards (talks broke down, a
# report was walked back).
PROGRESS = ["rumoured", "in_talks", "in_negotiations", "joined", "confirmed"]
LEFT = "left"


@dataclass
class Step:
    when: datetime
    person: object | None
    status: str
    status_label: str
    revision: Revision | None
    source_news: object | None = None
    source_url: str = ""
    backwards: bool = False

    @property
    def revision_url(self) -> str:
        return self.revision.get_absolute_url() if self.revision else ""


@dataclass
class Role:
    key: tuple
    job: str
    job_label: str
    character: object | None
    current: object | None = None  # the credit as it is now
    steps: list[Step] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.character.title if self.character else self.job_label


def _rank(status: str) -> int | None:
    return PROGRESS.index(status) if status in PROGRESS else None


def casting(work: Work) -> list[Role]:
    """The work's roles, actors first by character, each with its history in time order."""
    Credit = Work.objects.related_model("credits")
    Person = Credit._meta.get_field("person").related_model
    Character = Credit._meta.get_field("character").related_model
    NewsItem = Credit._meta.get_field("source_news").related_model
    labels = dict(Credit.Status.choices)
    jobs = dict(Credit.Job.choices)
    current = list(
        Credit.objects.filter(work=work).select_related("person", "character", "source_news")
    )
    # Everyone who holds a role now, or whose page ever recorded one: a revision whose
    # snapshot names the work in a credit row (as JSON text on SQLite and PostgreSQL alike).
    as_text = Cast("snapshot", TextField())
    mentions = Q(text__contains=f'"work": {work.pk},') | Q(text__contains=f'"work": {work.pk}}}')
    people_ids = {c.person_id for c in current if c.person_id} | set(
        Revision.objects.filter(page__page_kind=Person.url_namespace)
        .annotate(text=as_text)
        .filter(mentions)
        .values_list("page_id", flat=True)
        .distinct()
    )
    revisions = list(
        Revision.objects.filter(page_id__in=people_ids, hidden_at__isnull=True)
        .select_related("page")
        .only("page__page_kind", "page__slug", "page__title", "number", "created_at", "snapshot")
        .order_by("page_id", "number")
    )
    # Each person's rows for this work, as they stood after each revision.
    raw_steps: list[tuple] = []
    before: dict[int, dict[tuple, dict]] = {}
    for revision in revisions:
        rows = {
            (row.get("job"), row.get("character")): row
            for row in revision.snapshot.get("credits", [])
            if row.get("work") == work.pk
        }
        previous = before.get(revision.page_id, {})
        for key, row in rows.items():
            old = previous.get(key)
            watched = ("status", "source_news", "source_url")
            if old is None or any(old.get(name) != row.get(name) for name in watched):
                raw_steps.append((key, revision.page_id, row, revision))
        for key in previous.keys() - rows.keys():
            raw_steps.append((key, revision.page_id, None, revision))
        before[revision.page_id] = rows
    # Each page's changes were found in its own numbering; the roles' steps go by time.
    raw_steps.sort(key=lambda step: (step[3].created_at, step[3].page_id, step[3].number))
    people = Person.objects.in_bulk(people_ids)
    characters = Character.objects.in_bulk(
        {key[1] for key, *_ in raw_steps if key[1]}
        | {c.character_id for c in current if c.character_id}
    )
    news = NewsItem.objects.in_bulk(
        {row["source_news"] for _, _, row, _ in raw_steps if row and row.get("source_news")}
    )
    roles: dict[tuple, Role] = {}

    def role(key: tuple) -> Role:
        if key not in roles:
            job, character = key
            roles[key] = Role(key, job, jobs.get(job, job), characters.get(character))
        return roles[key]

    for credit in current:
        role((credit.job, credit.character_id)).current = credit
    for key, person_id, row, revision in raw_steps:
        if row is None:
            status, label = LEFT, "Left the role"
        else:
            status = row.get("status", "")
            label = labels.get(status, status)
        steps = role(key).steps
        step = Step(
            when=revision.created_at,
            person=people.get(person_id),
            status=status,
            status_label=label,
            revision=revision,
            source_news=news.get(row.get("source_news")) if row else None,
            source_url=(row or {}).get("source_url") or "",
        )
        last = next((s for s in reversed(steps) if s.person == step.person), None)
        if last is not None and _rank(status) is not None and _rank(last.status) is not None:
            step.backwards = _rank(status) < _rank(last.status)
        steps.append(step)
    for value in roles.values():
        # A role with no one yet (its credit has no person, so no person's revisions).
        if value.current is not None and value.current.person_id is None and not value.steps:
            value.steps.append(
                Step(
                    work.updated_at,
                    None,
                    value.current.status,
                    labels.get(value.current.status, ""),
                    None,
                    value.current.source_news,
                    value.current.source_url,
                )
            )
    return sorted(
        roles.values(),
        key=lambda r: (r.job != "actor", r.job, r.name.casefold()),
    )


def changes(work: Work) -> list[tuple[Role, Step]]:
    """Every step of every role, newest first: the casting feed."""
    found = [(role, step) for role in casting(work) for step in role.steps if step.revision]
    return sorted(found, key=lambda pair: pair[1].when, reverse=True)


def work_or_404(slug: str) -> Work:
    return get_object_or_404(Work.objects.filter(~Q(slug="")), slug=slug)


def casting_url(work: Work) -> str:
    return reverse("works:casting", kwargs={"slug": work.slug})
