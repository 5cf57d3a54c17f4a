from django.db import models
from django.db.models import F, Prefetch, Q

from heatwiki.wiki.models import WikiPage, WikiPageQuerySet, page_ptr


class WorkKind(models.TextChoices):
    FILM = "film", "Film"
    NOVEL = "novel", "Novel"


class WorkStatus(models.TextChoices):
    RELEASED = "released", "Released"
    IN_PRODUCTION = "in_production", "In production"
    ANNOUNCED = "announced", "Announced"


class WorkQuerySet(WikiPageQuerySet):
    def page_prefetches(self) -> list:
        Credit = self.related_model("credits")
        return [
            "scenes",
            "characters",
            "news_items",
            Prefetch(
                "credits",
                queryset=Credit.objects.select_related("person", "character", "source_news"),
            ),
        ]

    def in_production(self) -> "WorkQuerySet":
        return self.filter(status__in=[WorkStatus.IN_PRODUCTION, WorkStatus.ANNOUNCED])


class Work(WikiPage):
    """A film or novel of the Heat universe."""

    page = page_ptr()
    url_namespace = "works"
    nav_order = 10
    # The casting tracker, /works/<slug>/casting/ and its feed.
    extra_urls = "heatwiki.works.urls"

    Kind = WorkKind
    Status = WorkStatus

    kind = models.CharField(max_length=10, choices=WorkKind)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year of release; empty while unreleased."
    )
    status = models.CharField(max_length=20, choices=WorkStatus, default=WorkStatus.RELEASED)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = [F("year").asc(nulls_last=True), "title"]
        # The home page's works being made, soonest first (ascending puts undated ones last).
        indexes = [
            models.Index(
                fields=["year", "page"],
                condition=Q(status__in=[WorkStatus.IN_PRODUCTION, WorkStatus.ANNOUNCED]),
                name="work_in_production",
            )
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=WorkKind.values), name="work_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=WorkStatus.values), name="work_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1888, year__lte=2200),
                name="work_year_plausible",
            ),
        ]

    def structured_data(self) -> dict:
        """A Movie or a Book; uses the credits ``for_page()`` prefetches."""
        data = {**super().structured_data(), "@type": "Movie" if self.kind == "film" else "Book"}
        if self.year:
            data["datePublished"] = str(self.year)
        people = {"director": [], "author": [], "actor": []}
        for credit in self.credits.all():
            # Only confirmed credits: castings in talks or rumoured are not facts to state.
            if credit.person_id is None or credit.status != credit.Status.CONFIRMED:
                continue
            role = {"director": "director", "writer": "author", "actor": "actor"}.get(credit.job)
            person = {"@type": "Person", "name": credit.person.title}
            if role and person not in people[role]:  # an actor may play several characters
                people[role].append(person)
        data.update({role: names for role, names in people.items() if names})
        return data
