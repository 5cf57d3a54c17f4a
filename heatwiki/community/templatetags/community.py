from django import template
from django.db.models import Count, Q

from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.models import WikiPage

from ..chrome import Chrome
from ..models import Thanks
from ..notify import watchable_fields

register = template.Library()


@register.simple_tag(takes_context=True)
def community_page(context) -> str:
    """Tell the reader's chrome which page this is, before the header reads it: the bell and
    the page's Watch toggle then come from one query."""
    request = context.get("request")
    page = context.get("object")
    if request is not None and isinstance(page, WikiPage):
        Chrome.of(request).for_page(page)
    return ""


@register.simple_tag
def thanks_counts(person) -> dict:
    """Thanks received and given, in one query."""
    return Thanks.objects.aggregate(
        received=Count("pk", filter=Q(revision__author=person)),
        given=Count("pk", filter=Q(giver=person)),
    )


@register.filter
def fields_to_watch(page: WikiPage) -> list[tuple[str, str]]:
    """The page kind's fields and relations that can be watched on their own."""
    try:
        return watchable_fields(kind_model(page.page_kind))
    except LookupError:
        return []
