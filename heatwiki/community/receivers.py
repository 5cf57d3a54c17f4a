"""How the community hears of the engine's changes: each becomes one background job.

The engine sends ``revision_committed`` after the save's commit; a job is one row (or one
Redis entry) whatever the number of watchers, who are told by the job itself.
"""

import logging

from django.urls import reverse

from heatwiki.wiki.models import Revision

from .tasks import enqueue_on_commit, fan_out_revision, tell_moderated

log = logging.getLogger(__name__)


def revision_committed(sender, *, revision: Revision, **kwargs) -> None:
    # Content HeatWiki loads itself (its inactive system account) tells nobody.
    if not revision.author.is_active:
        return
    try:
        fan_out_revision.enqueue(revision.pk)
    except Exception:  # noqa: BLE001 - the edit is saved: a queue away must not fail it
        log.exception("Could not enqueue the watchers' job of revision %s", revision.pk)


def revisions_hidden(sender, *, page_id: int, revisions: list[Revision], hidden: bool, **kwargs):
    if not hidden:
        return
    # Read afresh: the moderator's reason and name were written by an UPDATE.
    fresh = Revision.objects.filter(pk__in=[r.pk for r in revisions]).select_related("author")
    for revision in fresh.defer("snapshot", "body_html"):
        if revision.hidden_by_id == revision.author_id:
            continue
        reason = f" Reason: {revision.hidden_reason}" if revision.hidden_reason else ""
        text = (
            f"A moderator hid your edit of {revision.title} (revision {revision.number}).{reason}"
        )
        url = reverse("wiki:contributions", kwargs={"username": revision.author.username})
        enqueue_on_commit(tell_moderated, revision.author_id, text, url)


def block_saved(sender, *, instance, created: bool, **kwargs) -> None:
    if not created:
        return
    until = f" until {instance.expires_at:%-d %B %Y}" if instance.expires_at else ""
    text = f"A moderator blocked your account from editing{until}. Reason: {instance.reason}"
    url = reverse("wiki:contributions", kwargs={"username": instance.user.username})
    enqueue_on_commit(tell_moderated, instance.user_id, text, url)
