from django import template
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.models import Revision, WikiPage

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
def thanks_counts(person_id: int) -> dict:
    """Thanks received and given, in one query: in plain SQL, as it runs on every view of a
    user's page, and by the indexes on the giver and on each revision's author."""
    thanks = connection.ops.quote_name(Thanks._meta.db_table)
    revisions = connection.ops.quote_name(Revision._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {thanks} t JOIN {revisions} r ON r.id = t.revision_id"
            f" WHERE r.author_id = %s), (SELECT COUNT(*) FROM {thanks} WHERE giver_id = %s)",
            [person_id, person_id],
        )
        received, given = cursor.fetchone()
    return {"received": received, "given": given}


@register.simple_tag
def watch_boxes(fields: list[tuple[str, str]], watch: dict | None) -> str:
    """The "Watch fields…" checkboxes, ticked as the reader watches: rendered for each signed-in
    reader on every view of a page, so in Python rather than a template loop."""
    watched = set(watch["fields"]) if watch else set()
    whole = " checked" if watch and watch["whole_page"] else ""
    boxes = [
        f'<label><input type="checkbox" name="whole_page"{whole}> Every change of the page</label>'
    ]
    for name, label in fields:
        ticked = " checked" if name in watched else ""
        boxes.append(
            f'<label><input type="checkbox" name="fields" value="{escape(name)}"{ticked}> '
            f"{escape(capfirst(label))}</label>"
        )
    return mark_safe("\n".join(boxes))  # noqa: S308 (names and labels escaped above)


@register.filter
def fields_to_watch(page: WikiPage) -> list[tuple[str, str]]:
    """The page kind's fields and relations that can be watched on their own, labels as plain
    text (kept in the page's frames: a lazy translation costs more to load again)."""
    try:
        return [(name, str(label)) for name, label in watchable_fields(kind_model(page.page_kind))]
    except LookupError:
        return []
