"""The casting tracker of a work: ``/works/<slug>/casting/`` and its Atom feed."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from heatwiki.wiki.layers import cookie_layers, reader_layers

from .casting import Role, Step, casting, casting_url, changes, work_or_404


def casting_page(request: HttpRequest, slug: str) -> HttpResponse:
    work = work_or_404(slug)
    reading = reader_layers(request)
    # Casting spoils its work: for a reader who has not chosen it, a notice.
    if work.pk in reading.hidden_ids:
        context = {"object": work, "layer": reading.layer(work.pk), "kind": "casting board"}
        return render(request, "wiki/page_withheld.html", context)
    roles = casting(work)
    return render(request, "works/casting.html", {"object": work, "roles": roles})


class CastingFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str):
        work = work_or_404(slug)
        if work.pk in cookie_layers(request).hidden_ids:
            raise Http404("This work is hidden by your My Heat choice.")
        return work

    def title(self, work) -> str:
        return f"HeatWiki: casting of {work.title}"

    def subtitle(self, work) -> str:
        return f"Every change of a role's person or status in {work.title}, with its source."

    def link(self, work) -> str:
        return casting_url(work)

    def items(self, work) -> list[tuple[Role, Step]]:
        return changes(work)[:50]

    def item_title(self, item: tuple[Role, Step]) -> str:
        role, step = item
        who = step.person.title if step.person else "No one yet"
        return f"{role.name}: {who}, {step.status_label.lower()}"

    def item_description(self, item: tuple[Role, Step]) -> str:
        role, step = item
        parts = [escape(f"{role.name}: {step.status_label}.")]
        if step.source_news is not None:
            news = step.source_news
            parts.append(
                f'Source: <a href="{escape(news.get_absolute_url())}">{escape(news.title)}</a>'
            )
        if step.source_url:
            parts.append(f'<a href="{escape(step.source_url)}">{escape(step.source_url)}</a>')
        return " ".join(parts)

    def item_link(self, item: tuple[Role, Step]) -> str:
        return item[1].revision_url

    def item_guid(self, item: tuple[Role, Step]) -> str:
        role, step = item
        return f"casting-{step.revision.pk}-{role.job}-{role.character.pk if role.character else 0}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: tuple[Role, Step]):
        return item[1].when

    def item_updateddate(self, item: tuple[Role, Step]):
        return item[1].when
