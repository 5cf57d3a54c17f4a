from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from heatwiki.news.models import NewsItem
from heatwiki.wiki.models import Revision
from heatwiki.wiki.permissions import background_refusal, is_background_request
from heatwiki.works.models import Work
from people.models import Credit
from scenes.models import Scene

# The home page shows the casting of this many works being made, this many roles each; the
# rest is on the works' own pages. Bounded, so the page costs the same however big the wiki.
HOME_WORKS_IN_PRODUCTION = 3
HOME_CAST = 12


def home(request: HttpRequest) -> HttpResponse:
    """Featured scene, latest news, recent changes and the casting of works being made."""
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
    return render(
        request,
        "home.html",
        {
            "featured_scene": Scene.objects.featured().select_related("work").first(),
            "latest_news": NewsItem.objects.all()[:5],
            "recent_changes": Revision.objects.for_list().of_live_pages().filter(minor=False)[:8],
            "works_in_production": works[:HOME_WORKS_IN_PRODUCTION],
            "home_cast": HOME_CAST,
        },
    )


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the icon among the static files."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


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
