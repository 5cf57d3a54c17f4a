"""What the API shows to whom: the one place that decides which pages and revisions exist.

Deleted pages are left out as on the site, by the engine itself: the kinds' managers never
return them, and recent changes (``filtered_changes``) lists only revisions of live pages.
Every endpoint reaches pages through ``pages`` or ``all_pages``.
"""

from django.db.models import QuerySet
from rest_framework.request import Request

from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.permissions import is_moderator


def pages(model: type[WikiPage]) -> QuerySet:
    """The pages of a kind that readers may see."""
    return model.objects.all()


def all_pages() -> QuerySet:
    """The pages of every kind that readers may see."""
    return WikiPage.objects.all()


def revisions_of(page: WikiPage) -> QuerySet:
    return Revision.objects.filter(page=page)


def sees_hidden(request: Request) -> bool:
    """Hidden revisions are for moderators, signed in on the site as for the site's pages.

    A token never shows them: it gives read access to what every reader sees, so a leaked
    token cannot reveal what moderators hid.
    """
    return request.auth is None and is_moderator(request.user)


def withheld(request: Request, revision: Revision) -> bool:
    """Whether this revision's content, title and summary are withheld from this reader."""
    return revision.is_hidden and not sees_hidden(request)
