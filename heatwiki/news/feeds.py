"""The Atom feed of news items, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from heatwiki.wiki.embeds import embeds_as_links
from heatwiki.wiki.feeds import FEED_SIZE

from .models import NewsItem


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = "HeatWiki: news"
    subtitle = "News of the Heat universe: the Heat 2 film, the novels, the people."

    def link(self) -> str:
        return reverse("news:list")

    def items(self) -> list[NewsItem]:
        return list(NewsItem.objects.all()[:FEED_SIZE])

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        # Images of file pages as links to them: a feed shows many bodies, each image a query.
        return embeds_as_links(item.body_html)

    def item_pubdate(self, item: NewsItem):
        return item.created_at

    def item_updateddate(self, item: NewsItem):
        return item.updated_at
