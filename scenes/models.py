"""Scenes of the works and the places where they were filmed."""

from django.db import models
from django.db.models import F, Prefetch, Q

from heatwiki.wiki.canon import Canon, canon_field
from heatwiki.wiki.models import WikiPage, WikiPageQuerySet, page_ptr


class LocationQuerySet(WikiPageQuerySet):
    def page_images(self, page) -> dict:
        return {"gallery": self.gallery(page)}

    def page_prefetches(self) -> list:
        return [Prefetch("scenes", queryset=Scene.objects.select_related("work"))]


class Location(WikiPage):
    page = page_ptr()
    url_namespace = "locations"
    nav_order = 50

    address = models.CharField("address or area", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    stands_for = models.CharField(
        "in the story", max_length=200, blank=True, help_text="What the place stands for on screen."
    )
    still_standing = models.BooleanField(
        null=True, blank=True, help_text="Does the place still stand? Empty when unknown."
    )
    visitor_notes = models.TextField(blank=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message="Latitude lies between -90 and 90.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message="Longitude lies between -180 and 180.",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="location_coordinates_paired",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def structured_data(self) -> dict:
        data = {**super().structured_data(), "@type": "Place"}
        address = ", ".join(part for part in (self.address, self.city) if part)
        if address:
            data["address"] = address
        if self.has_coordinates:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        return data


class SceneQuerySet(WikiPageQuerySet):
    def for_list(self) -> "SceneQuerySet":
        return self.select_related("work")

    def page_prefetches(self) -> list:
        Character = self.related_model("characters")
        Credit = Character.objects.related_model("credits")
        # Each character comes with its actor credits, so the page can name who plays it in
        # the scene's own work without a query per character.
        actor_credits = Credit.objects.actors().select_related("person")
        return [
            "locations",
            Prefetch(
                "characters",
                queryset=Character.objects.prefetch_related(
                    Prefetch("credits", queryset=actor_credits, to_attr="actor_credits")
                ),
            ),
            Prefetch("quotes", queryset=Quote.objects.select_related("speaker")),
        ]

    def for_page(self) -> "SceneQuerySet":
        return super().for_page().select_related("work")

    def featured(self) -> "SceneQuerySet":
        return self.filter(featured=True)


class Scene(WikiPage):
    page = page_ptr()
    url_namespace = "scenes"
    nav_order = 20
    owned_rows = {"quotes": ("position", "speaker", "text")}
    # A scene, its quotes with it, spoils its work.
    spoils = ("work", "any")

    work = models.ForeignKey("works.Work", on_delete=models.PROTECT, related_name="scenes")
    position = models.PositiveSmallIntegerField(
        "order in the work", help_text="1 for the first scene of the work, 2 for the next …"
    )
    start_timecode = models.DurationField(null=True, blank=True, help_text="hh:mm:ss")
    end_timecode = models.DurationField(null=True, blank=True, help_text="hh:mm:ss")
    # When it happens in the story, for the timeline: a date (the first day of a period when
    # only the period is known) and how the story gives it.
    story_date = models.DateField(
        "in-universe date",
        null=True,
        blank=True,
        help_text="When the scene happens in the story; for a period, its first day.",
    )
    story_period = models.CharField(
        "in-universe period",
        max_length=100,
        blank=True,
        help_text="As the story tells it: “Summer 1988”, “The morning after the shootout”.",
    )
    canon = canon_field(
        "Where the scene is told: empty for its work (the film or the novel); "
        "“production” for a scene known from filming reports."
    )
    locations = models.ManyToManyField(Location, blank=True, related_name="scenes")
    characters = models.ManyToManyField(
        "people.Character", blank=True, related_name="scenes", through="SceneCharacter"
    )
    featured = models.BooleanField(default=False, help_text="Offer this scene on the home page.")

    objects = SceneQuerySet.as_manager()

    class Meta:
        ordering = [F("work__year").asc(nulls_last=True), "work__title", "position"]
        # The home page's featured scene, found without reading every scene.
        indexes = [
            models.Index(fields=["featured"], condition=Q(featured=True), name="scene_featured")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "position"],
                name="scene_unique_position",
                violation_error_message="Another scene already has this place in the work.",
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="scene_position_positive"),
            models.CheckConstraint(
                condition=Q(start_timecode__isnull=True)
                | Q(end_timecode__isnull=True)
                | Q(end_timecode__gt=F("start_timecode")),
                name="scene_timecode_order",
                violation_error_message="The end timecode comes after the start.",
            ),
        ]

    @property
    def source(self) -> tuple[str, str]:
        """The badge: the scene's canon as set, else its work's kind (film or novel)."""
        value = self.canon or (Canon.NOVEL if self.work.kind == Canon.NOVEL else Canon.FILM)
        return value, Canon(value).label

    def structured_data(self) -> dict:
        """A CreativeWork that is part of its film or novel, filmed at its locations."""
        work = self.work
        data = {
            **super().structured_data(),
            "@type": "CreativeWork",
            "isPartOf": {
                "@type": "Movie" if work.kind == "film" else "Book",
                "name": work.title,
            },
        }
        places = [{"@type": "Place", "name": place.title} for place in self.locations.all()]
        if places:
            data["contentLocation"] = places
        return data


class SceneCharacter(models.Model):
    """A character present in a scene."""

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE)
    character = models.ForeignKey("people.Character", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "character present"
        verbose_name_plural = "characters present"
        constraints = [
            models.UniqueConstraint(fields=["scene", "character"], name="scene_character_once")
        ]

    def __str__(self) -> str:
        return str(self.character)


class Quote(models.Model):
    """A line spoken in a scene."""

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        "people.Character",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
    )
    text = models.TextField(max_length=2000)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]
