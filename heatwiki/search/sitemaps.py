from django.contrib.sitemaps import Sitemap

from heatwiki.wiki.models import WikiPage


class PageSitemap(Sitemap):
    """Every page of every kind, with the time of its last change."""

    limit = 10_000

    def items(self):
        return WikiPage.objects.only("page_kind", "slug", "updated_at").order_by("pk")

    def lastmod(self, page: WikiPage):
        return page.updated_at
