"""Atom feeds of revisions: recent changes (with the same filters as the page) and one page's
history."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .addresses import find_page
from .changes import filtered_changes, with_hidden_predecessor
from .layers import cookie_layers, hidden_pages, page_layer
from .models import Revision

FEED_SIZE = 50


class RecentChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "HeatWiki: recent changes"
    subtitle = "Every edit to every page of HeatWiki."

    def get_object(self, request):
        # The feed follows the page's filters: ?kind=, ?user=, ?hideminor=1.
        self.reading = cookie_layers(request)
        return request.GET

    def link(self) -> str:
        return reverse("wiki:recent-changes")

    def items(self, params) -> list[Revision]:
        revisions = list(filtered_changes(params)[0][:FEED_SIZE])
        # Edits of pages of works the reader has not seen are left out.
        gone = hidden_pages([revision.page for revision in revisions], self.reading)
        return [revision for revision in revisions if revision.page_id not in gone]

    def item_title(self, item: Revision) -> str:
        return f"{item.page.title} (revision {item.number})"

    def item_description(self, item: Revision) -> str:
        # Feeds are the same for every reader, so a hidden revision's summary is never in one.
        if item.is_hidden:
            return "Hidden by a moderator."
        # Feed readers render this as HTML; escape it, as it is user-written text.
        return escape(item.summary or "No summary.")

    def item_link(self, item: Revision) -> str:
        if item.is_hidden:
            return item.page.kind_url("history")
        # The diff with a hidden revision is for moderators only: link the revision instead.
        if item.number == 1 or getattr(item, "follows_hidden", False):
            return item.get_absolute_url()
        return f"{item.page.kind_url('diff')}?from={item.number - 1}&to={item.number}"

    def item_guid(self, item: Revision) -> str:
        return f"revision-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Revision) -> str:
        return item.author.username

    def item_pubdate(self, item: Revision):
        return item.created_at

    def item_updateddate(self, item: Revision):
        return item.created_at


class PageHistoryFeed(RecentChangesFeed):
    """One page's revisions, newest first: for following a page from a feed reader."""

    def get_object(self, request, slug: str, model):
        page = find_page(request, model, slug)
        self.reading = cookie_layers(request)
        if page_layer(page, self.reading):
            # A page of a work the reader has not seen has no feed for them.
            raise Http404("This page is hidden by your My Heat choice.")
        return page

    def title(self, page) -> str:
        return f"HeatWiki: history of {page.title}"

    def subtitle(self, page) -> str:
        return f"Every revision of “{page.title}”."

    def link(self, page) -> str:
        return page.kind_url("history")

    def items(self, page) -> list[Revision]:
        revisions = Revision.objects.for_list().filter(page=page).order_by("-number")
        return list(with_hidden_predecessor(revisions)[:FEED_SIZE])
