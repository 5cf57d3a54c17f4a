"""Load the initial wiki content.

Running it again adds only what is missing: pages, credits and quotes that already exist are
left as the community has edited them.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from heatwiki.news.models import NewsItem
from heatwiki.seed import content
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.services import record_revision, system_account
from heatwiki.works.models import Work
from people.models import Character, Credit, Person, Role
from scenes.models import Location, Quote, Scene

Row = dict[str, Any]


def _by_slug(model: type[models.Model], slug: str) -> models.Model:
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist:
        raise CommandError(f"Seed data names an unknown {model.__name__} {slug!r}.") from None


def load(model: type[models.Model], rows: list[Row], key: tuple[str, ...] = ("slug",)) -> int:
    """Create each row's object unless one matching the ``key`` fields exists; count the new.

    Foreign keys and many-to-many fields are given as slugs; a new object's many-to-many
    fields are set to exactly the listed objects. A key field missing from a row matches NULL.
    """
    created_count = 0
    for row in rows:
        values: Row = {}
        many: dict[str, list[models.Model]] = {}
        for name, value in row.items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                many[name] = [_by_slug(field.related_model, slug) for slug in value]
            elif field.many_to_one and value is not None:
                values[name] = _by_slug(field.related_model, value)
            else:
                values[name] = value
        lookup = {name: values.pop(name, None) for name in key}
        obj, created = model.objects.get_or_create(**lookup, defaults=values)
        if created:
            created_count += 1
            for name, objects in many.items():
                getattr(obj, name).set(objects)
    return created_count


class Command(BaseCommand):
    help = "Load the initial wiki content. Safe to run again: it adds only what is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = {
                "roles": load(Role, content.ROLES),
                "works": load(Work, content.WORKS),
                "people": load(Person, content.PEOPLE),
                "characters": load(Character, content.CHARACTERS),
                "locations": load(Location, content.LOCATIONS),
                "news items": load(NewsItem, content.NEWS),
                "scenes": load(Scene, content.SCENES),
            }
            counts["quotes"] = load(Quote, content.QUOTES, key=("scene", "position"))
            counts["credits"] = load(
                Credit, content.CREDITS, key=("person", "work", "job", "character")
            )
            # Revision 1 of each new page, once all are in, so wiki links between them resolve.
            author = system_account()
            for model in page_kinds():
                for page in model.objects.filter(current_revision__isnull=True):
                    record_revision(page=page, author=author, summary="Initial content")
        if options["verbosity"] > 0:
            summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
            self.stdout.write(f"Seeded new content: {summary}.")
