"""People, the characters of the stories, and the credits that join them to works."""

from django.db import models
from django.db.models import F, Prefetch, Q

from heatwiki.wiki.models import WikiPage, WikiPageQuerySet, page_ptr, web_url, web_url_constraint


class Role(models.Model):
    """What a person is known for: actor, director, real-life inspiration …"""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(WikiPageQuerySet):
    def page_images(self, page) -> dict:
        return {"gallery": self.gallery(page)}

    def for_list(self) -> "PersonQuerySet":
        return self.prefetch_related("roles")

    def page_prefetches(self) -> list:
        return [
            "roles",
            "inspired_characters",
            "news_items",
            Prefetch(
                "credits",
                queryset=Credit.objects.select_related("work", "character", "source_news"),
            ),
        ]


class Person(WikiPage):
    page = page_ptr()
    url_namespace = "people"
    nav_order = 30
    # A person's credits are edited, versioned and reverted with the person's page.
    owned_rows = {"credits": ("work", "job", "character", "status", "source_news", "source_url")}

    roles = models.ManyToManyField(Role, blank=True, related_name="people")

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["title"]

    def structured_data(self) -> dict:
        return {**super().structured_data(), "@type": "Person"}


class CharacterQuerySet(WikiPageQuerySet):
    def page_prefetches(self) -> list:
        Scene = self.related_model("scenes")
        return [
            "works",
            Prefetch("scenes", queryset=Scene.objects.select_related("work")),
            Prefetch(
                "credits",
                queryset=Credit.objects.select_related("person", "work", "source_news"),
            ),
        ]

    def for_page(self) -> "CharacterQuerySet":
        return super().for_page().select_related("inspired_by")


class Character(WikiPage):
    """A character of the stories; who plays it in each work comes from credits."""

    page = page_ptr()
    url_namespace = "characters"
    nav_order = 40
    # A character of works the reader has not seen is hidden, one of any work they have is not.
    spoils = ("works", "all")
    # In this wiki's text a bare [[Neil McCauley]] means the character, not the real man.
    link_order = 25

    works = models.ManyToManyField("works.Work", blank=True, related_name="characters")
    inspired_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspired_characters",
        help_text="The real person the character is drawn from, if any.",
    )

    objects = CharacterQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def structured_data(self) -> dict:
        # schema.org has no fictional character type; a Person is what film data uses.
        return {**super().structured_data(), "@type": "Person"}


class CreditJob(models.TextChoices):
    ACTOR = "actor", "Actor"
    DIRECTOR = "director", "Director"
    WRITER = "writer", "Writer"
    PRODUCER = "producer", "Producer"
    CINEMATOGRAPHER = "cinematographer", "Cinematographer"
    COMPOSER = "composer", "Composer"
    EDITOR = "editor", "Editor"
    TECHNICAL_ADVISOR = "technical_advisor", "Technical advisor"


class CreditStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    JOINED = "joined", "Joined, deal not finalised"
    IN_NEGOTIATIONS = "in_negotiations", "In negotiations"
    IN_TALKS = "in_talks", "In talks"
    RUMOURED = "rumoured", "Rumoured"
    CASTING = "casting", "Still being cast"


class CreditQuerySet(models.QuerySet):
    def actors(self) -> "CreditQuerySet":
        return self.filter(job=CreditJob.ACTOR)


class Credit(models.Model):
    """A person's job on a work; for actors, the character they play."""

    Job = CreditJob
    Status = CreditStatus
    # Casting spoils the work it is for.
    spoils = ("work", "any")

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credits",
        help_text="Empty only while the role is still being cast.",
    )
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="credits")
    job = models.CharField(max_length=20, choices=CreditJob, default=CreditJob.ACTOR)
    character = models.ForeignKey(
        Character,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credits",
        help_text="For actors: the character played.",
    )
    status = models.CharField(max_length=20, choices=CreditStatus, default=CreditStatus.CONFIRMED)
    source_news = models.ForeignKey(
        "news.NewsItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credits",
        verbose_name="source (news item)",
    )
    source_url = models.URLField("source (URL)", max_length=500, blank=True, validators=[web_url])

    objects = CreditQuerySet.as_manager()

    class Meta:
        ordering = [
            F("work__year").asc(nulls_last=True),
            "work__title",
            "job",
            "character__title",
            "id",
        ]
        constraints = [
            models.CheckConstraint(condition=Q(job__in=CreditJob.values), name="credit_job_valid"),
            models.CheckConstraint(
                condition=Q(status__in=CreditStatus.values), name="credit_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(person__isnull=True) & Q(status="casting"))
                | (Q(person__isnull=False) & ~Q(status="casting")),
                name="credit_person_unless_casting",
                violation_error_message="Only a role still being cast may have no person.",
            ),
            models.CheckConstraint(
                condition=(Q(job="actor") & Q(character__isnull=False))
                | (~Q(job="actor") & Q(character__isnull=True)),
                name="credit_character_for_actors",
                violation_error_message="Actors play a character; other jobs have none.",
            ),
            models.UniqueConstraint(
                fields=["person", "work", "job", "character"],
                condition=Q(person__isnull=False, character__isnull=False),
                name="credit_unique_role",
                violation_error_message="This person already has this role in this work.",
            ),
            models.UniqueConstraint(
                fields=["person", "work", "job"],
                condition=Q(character__isnull=True),
                name="credit_unique_job",
                violation_error_message="This person already has this job on this work.",
            ),
            models.UniqueConstraint(
                fields=["work", "character"],
                condition=Q(person__isnull=True),
                name="credit_unique_open_role",
                violation_error_message="This role is already listed as being cast.",
            ),
            web_url_constraint("source_url", "credit_source_url_web"),
        ]

    def __str__(self) -> str:
        who = self.person.title if self.person_id else "(being cast)"
        role = f" as {self.character.title}" if self.character_id else ""
        return f"{who}: {self.get_job_display()}{role} in {self.work.title}"
