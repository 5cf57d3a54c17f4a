from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from heatwiki.wiki.kinds import page_kinds
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

    def items(self):
        return WikiPage.objects.only("page_kind", "slug", "updated_at").order_by("pk")

    def lastmod(self, page: WikiPage):
        return page.updated_at
