"""Finding a page by its address: a moved page's old address answers 301 to the new one, a
deleted page's answers 410 with the reason, anything else 404.

Views call :func:`find_page`; the exceptions it raises become answers in
:class:`PageAddressMiddleware`, so every view of a page (history, diff, links …) follows a
move the same way.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render

from .models import PageRedirect, WikiPage
from .permissions import is_moderator


class PageMoved(Exception):
    def __init__(self, page: WikiPage, old_slug: str) -> None:
        super().__init__(page.get_absolute_url())
        self.page, self.old_slug = page, old_slug


class PageGone(Exception):
    def __init__(self, page: WikiPage) -> None:
        super().__init__(page.title)
        self.page = page


def find_page(
    request: HttpRequest,
    model: type[WikiPage],
    slug: str,
    queryset=None,
    *,
    deleted_for_moderators: bool = False,
) -> WikiPage:
    """The page of this kind at this address. With ``deleted_for_moderators``, moderators also
    find a deleted page (its history, to read and undelete it); otherwise it is gone."""
    queryset = model.objects.all() if queryset is None else queryset
    page = queryset.filter(slug=slug).first()
    if page is not None:
        return page
    deleted = model._base_manager.select_related("current_revision", "deleted_by").filter(
        slug=slug, deleted_at__isnull=False
    )
    if gone := deleted.first():
        if deleted_for_moderators and is_moderator(request.user):
            return gone
        raise PageGone(gone)
    redirect = (
        PageRedirect.objects.filter(page_kind=model.url_namespace, slug=slug)
        .select_related("page")
        .first()
    )
    if redirect is not None and not redirect.page.is_deleted:
        raise PageMoved(redirect.page, slug)
    raise Http404(f"No {model._meta.verbose_name} at this address.")


class PageAddressMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PageMoved):
            page = exception.page
            old_prefix = f"/{page.page_kind}/{exception.old_slug}/"
            rest = request.path[len(old_prefix) :] if request.path.startswith(old_prefix) else ""
            query = request.META.get("QUERY_STRING", "")
            url = page.get_absolute_url() + rest + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(url)
        if isinstance(exception, PageGone):
            context = {"page": exception.page}
            return render(request, "wiki/page_gone.html", context, status=410)
        return None
