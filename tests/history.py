"""Long histories for the tests that read them: history pages, recent changes, contributions."""

from datetime import timedelta

from django.utils import timezone

from heatwiki.pagecache.invalidation import content_changed
from heatwiki.wiki.markdown import render_markdown
from heatwiki.wiki.models import Revision, WikiPage


def long_history(
    page: WikiPage, author, count: int, *, summary: str = "", body: str = "Version {n}."
) -> list[Revision]:
    """``count`` more revisions of ``page`` by ``author``, written in one ``bulk_create``.

    For tests about reading a long history, not about saving one: ``save_page`` renders, links
    and indexes every revision, the most of such a test's time. The n-th new revision (from 0)
    is the page as it is with its body set to ``body.format(n=n)``, and ``summary.format(n=n)``:
    numbered on from the current revision, each a microsecond after the one before, with its
    snapshot, rendered body, size and size change, as saving would store them. The last is made
    the page's current revision, and the page's body its body; readers' cached pages are out of
    date. Links and the search document are left as they were (the bodies link nowhere).
    """
    current = Revision.objects.get(pk=WikiPage.objects.get(pk=page.pk).current_revision_id)
    # A microsecond apart, the last one now (or just after the current revision).
    start = max(current.created_at, timezone.now() - timedelta(microseconds=count))
    size, revisions = current.size, []
    for n in range(count):
        text = body.format(n=n)
        new_size = len(text.encode())
        revisions.append(
            Revision(
                page_id=page.pk,
                number=current.number + 1 + n,
                author=author,
                created_at=start + timedelta(microseconds=n + 1),
                summary=summary.format(n=n),
                title=current.title,
                size=new_size,
                size_change=new_size - size,
                snapshot={**current.snapshot, "body": text},
                body_html=render_markdown(text),
            )
        )
        size = new_size
    Revision.objects.bulk_create(revisions)
    latest = Revision.objects.get(page_id=page.pk, number=current.number + count)
    WikiPage.objects.filter(pk=page.pk).update(
        current_revision=latest,
        body=text,
        body_html=latest.body_html,
        updated_at=latest.created_at,
    )
    content_changed()
    return revisions
