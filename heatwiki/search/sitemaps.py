from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.layers import EVERYONE, Reading, exclude_hidden
from heatwiki.wiki.models import WikiPage


class ListSitemap(Sitemap):
    """The home page and each kind's list."""

    def items(self) -> list[str]:
        return ["home", *(f"{model.url_namespace}:list" for model in page_kinds())]

    def location(self, name: str) -> str:
        return reverse(name)


class PageSitemap(Sitemap):
    """Every page of every kind, with the time of its last change."""

    limit = 10_000

    def __init__(self, reading: Reading = EVERYONE) -> None:
        self.reading = reading

    def items(self):
        pages = WikiPage.objects.only("page_kind", "slug", "updated_at").order_by("pk")
        if self.reading.everything:
            return pages
        # A reader who left works out (crawlers never do) is not given their pages' addresses.
        for model in page_kinds():
            shown = exclude_hidden(model._base_manager.all(), self.reading)
            pages = pages.exclude(pk__in=model._base_manager.exclude(pk__in=shown.values("pk")))
        return pages

    def lastmod(self, page: WikiPage):
        return page.updated_at
