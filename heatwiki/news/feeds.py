"""The Atom feed of news items, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from heatwiki.wiki.embeds import embeds_as_links
from heatwiki.wiki.feeds import FEED_SIZE
from heatwiki.wiki.layers import cookie_layers, exclude_hidden, withhold_html

from .models import NewsItem


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = "HeatWiki: news"
    subtitle = "News of the Heat universe: the Heat 2 film, the novels, the people."

    def get_object(self, request, *args, **kwargs):
        # The feed is the reader's: news of works they have not seen is left out.
        self.reading = cookie_layers(request)
        return None

    def link(self) -> str:
        return reverse("news:list")

    def items(self) -> list[NewsItem]:
        return list(exclude_hidden(NewsItem.objects.all(), self.reading)[:FEED_SIZE])

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        # Images of file pages as links to them: a feed shows many bodies, each image a query.
        return embeds_as_links(withhold_html(item.body_html, self.reading, item))

    def item_pubdate(self, item: NewsItem):
        return item.created_at

    def item_updateddate(self, item: NewsItem):
        return item.updated_at
