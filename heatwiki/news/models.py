from django.db import models
from django.db.models import F, Prefetch, Q

from heatwiki.wiki.models import WikiPage, WikiPageQuerySet, page_ptr, web_url, web_url_constraint


class ClaimStatus(models.TextChoices):
    RUMOUR = "rumour", "Rumour"
    REPORTED = "reported", "Reported"
    CONFIRMED = "confirmed", "Confirmed"
    DENIED = "denied", "Denied"


class NewsItemQuerySet(WikiPageQuerySet):
    def page_prefetches(self) -> list:
        Credit = self.related_model("credits")
        return [
            "people",
            "works",
            Prefetch(
                "credits", queryset=Credit.objects.select_related("person", "work", "character")
            ),
        ]


class NewsItem(WikiPage):
    """A report about the Heat universe, with how far its claim is established."""

    page = page_ptr()
    url_namespace = "news"
    nav_order = 60
    extra_urls = "heatwiki.news.urls"
    reserved_slugs = frozenset({"feed"})
    og_type = "article"
    list_feed = "news:feed"
    # News of a work the reader has not seen is hidden.
    spoils = ("works", "any")

    ClaimStatus = ClaimStatus

    published_on = models.DateField(
        null=True, blank=True, help_text="Date of the report; empty when the source gives none."
    )
    source_name = models.CharField(max_length=100, blank=True)
    source_url = models.URLField(max_length=500, blank=True, validators=[web_url])
    claim_status = models.CharField(
        max_length=10, choices=ClaimStatus, default=ClaimStatus.REPORTED
    )
    people = models.ManyToManyField("people.Person", blank=True, related_name="news_items")
    works = models.ManyToManyField("works.Work", blank=True, related_name="news_items")

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = "news item"
        verbose_name_plural = "news"
        # Newest first; among items of one date (or none), the latest added. On PostgreSQL an
        # index serves this order from the news table alone (migration 0003), so the home
        # page's latest five cost the same with ten items or a hundred thousand.
        ordering = [F("published_on").desc(nulls_last=True), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_status__in=ClaimStatus.values), name="news_claim_status_valid"
            ),
            web_url_constraint("source_url", "news_source_url_web"),
        ]

    def structured_data(self) -> dict:
        data = {
            **super().structured_data(),
            "@type": "NewsArticle",
            "headline": self.title,
            "dateModified": self.updated_at,
            "datePublished": self.published_on or self.created_at,
        }
        if self.source_url:
            data["isBasedOn"] = self.source_url
        if self.source_name:
            data["sourceOrganization"] = {"@type": "Organization", "name": self.source_name}
        return data
