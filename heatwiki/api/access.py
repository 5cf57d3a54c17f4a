"""What the API shows to whom: the one place that decides which pages and revisions exist.

Deleted pages are left out, as on the site: every endpoint reaches pages through ``pages``,
``all_pages`` or ``visible_revisions``.
"""

from django.db.models import Q, QuerySet
from rest_framework.request import Request

from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.permissions import is_moderator

# Which pages exist for readers: those not deleted (the kinds' managers leave deleted pages
# out already; revisions across the wiki are filtered here).
VISIBLE = Q(deleted_at__isnull=True)


def pages(model: type[WikiPage]) -> QuerySet:
    """The pages of a kind that readers may see."""
    return model.objects.filter(VISIBLE)


def all_pages() -> QuerySet:
    """The pages of every kind that readers may see."""
    return WikiPage.objects.filter(VISIBLE)


def revisions_of(page: WikiPage) -> QuerySet:
    return Revision.objects.filter(page=page)


def visible_revisions(revisions: QuerySet) -> QuerySet:
    """Revisions across the wiki (recent changes): those of pages readers may see."""
    return revisions.filter(page__deleted_at__isnull=True)


def sees_hidden(request: Request) -> bool:
    """Hidden revisions are for moderators, signed in on the site as for the site's pages.

    A token never shows them: it gives read access to what every reader sees, so a leaked
    token cannot reveal what moderators hid.
    """
    return request.auth is None and is_moderator(request.user)


def withheld(request: Request, revision: Revision) -> bool:
    """Whether this revision's content, title and summary are withheld from this reader."""
    return revision.is_hidden and not sees_hidden(request)
