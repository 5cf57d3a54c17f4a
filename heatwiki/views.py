from string import capwords
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from heatwiki.news.models import NewsItem
from heatwiki.pagecache.fragments import deferred, open_fragments
from heatwiki.search.query import search
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.layers import exclude_hidden, hidden_pages, reader_layers
from heatwiki.wiki.models import Revision
from heatwiki.wiki.permissions import background_refusal, can_edit, is_background_request
from heatwiki.works.models import Work
from people.models import Credit
from scenes.models import Scene

# The home page shows the casting of this many works being made, this many roles each; the
# rest is on the works' own pages. Bounded, so the page costs the same however big the wiki.
HOME_WORKS_IN_PRODUCTION = 3
HOME_CAST = 12


def home(request: HttpRequest) -> HttpResponse:
    """Featured scene, latest news, recent changes and the casting of works being made."""
    # The same for every reader of the same My Heat choice (it is part of the fragments' key):
    # rendered once per change to the wiki (heatwiki.pagecache), so its queries are built
    # only when it is.
    fragments = open_fragments(request, "home")
    reading = reader_layers(request)

    def shown() -> dict:
        # One work's actors, so the order of its roles is the order of their titles; no joins
        # beyond what is shown (a credit's default order spans the work and the job).
        casting = (
            Credit.objects.actors()
            .select_related("person", "character")
            .order_by("character__title", "pk")
        )
        # The soonest first, then in the order they were added: an index serves this order.
        works = (
            Work.objects.in_production()
            .order_by("year", "pk")
            .prefetch_related(Prefetch("credits", queryset=casting[:HOME_CAST], to_attr="cast"))
        )
        # What the reader chose not to see is left out (nothing is, for most readers).
        recent = list(Revision.objects.for_list().of_live_pages().filter(minor=False)[:8])
        if not reading.everything:
            works = works.exclude(pk__in=reading.hidden_ids)
            gone = hidden_pages([revision.page for revision in recent], reading)
            recent = [revision for revision in recent if revision.page_id not in gone]
        return {
            "featured_scene": exclude_hidden(Scene.objects.featured(), reading)
            .select_related("work")
            .first(),
            "latest_news": list(exclude_hidden(NewsItem.objects.all(), reading)[:5]),
            "recent_changes": recent,
            "works_in_production": list(works[:HOME_WORKS_IN_PRODUCTION]),
        }

    names = ("featured_scene", "latest_news", "recent_changes", "works_in_production")
    context = {**deferred(shown, *names), "home_cast": HOME_CAST}
    response = render(request, "home.html", context)
    fragments.save()
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the icon among the static files."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


# A missing page's 404 offers this many search results for the words of its address.
MISSING_PAGE_HITS = 5


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404. For a page of a kind that does not exist (/characters/<slug>/ …) it
    offers what a reader came for: the search results for the address's words, and "create
    this page" to those who may (signing in first, for visitors)."""
    context = {}
    match = getattr(request, "resolver_match", None)
    kinds = {model.url_namespace: model for model in page_kinds()}
    if match is not None and match.namespace in kinds and "slug" in match.kwargs:
        model = kinds[match.namespace]
        words = " ".join(str(match.kwargs["slug"]).replace("_", "-").split("-"))[:200]
        title = capwords(words)
        create = f"{reverse(f'{model.url_namespace}:create')}?{urlencode({'title': title})}"
        user = getattr(request, "user", None)
        context = {
            "missing": {
                "title": title,
                "kind_name": model._meta.verbose_name,
                "create_url": create,
                "may_create": user is not None and can_edit(user),
                "signed_in": user is not None and user.is_authenticated,
                "search_url": f"{reverse('search')}?{urlencode({'q': words})}",
                "hits": search(words, limit=MISSING_PAGE_HITS, reading=reader_layers(request))
                if words.strip()
                else [],
                "words": words,
            }
        }
    return render(request, "404.html", context, status=404)


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers, and the floor of the benchmark: the middleware stack, nothing more."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check: the styled page, or a short note for the editor's live preview."""
    if is_background_request(request):
        message = "This page has expired. Copy your text, reload the page and paste it back."
        as_json = getattr(request.resolver_match, "view_name", "") == "editor:upload"
        return background_refusal(message, as_json=as_json)
    return render(request, "403_csrf.html", status=403)
