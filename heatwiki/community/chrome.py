"""What every signed-in page shows of the community: the bell's unread count and, on a page's
own views, whether the reader watches it. One query for both, and only when a template asks;
viewing a page's current revision marks it read (a write only when it was unread)."""

import json

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from heatwiki.edge.availability import read_only_reason
from heatwiki.wiki.models import Revision, WikiPage

from .models import Notification, Watch

WATCH_KINDS = [Notification.Kind.PAGE_CHANGED, Notification.Kind.FIELD_CHANGED]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The unread count, the reader's watch of the page (if any) and the page's current revision.
_READ_CHROME = f"""
    SELECT
        (SELECT COUNT(*) FROM {_table(Notification)} n WHERE n.user_id = %s AND n.read_at IS NULL),
        w.id, w.whole_page, w.fields, w.seen_number,
        (SELECT r.number FROM {_table(WikiPage)} p
            JOIN {_table(Revision)} r ON r.id = p.current_revision_id WHERE p.id = w.page_id)
    FROM (SELECT 1) one
    LEFT JOIN {_table(Watch)} w ON w.page_id = %s AND w.user_id = %s
"""


class Chrome:
    """Read once per request, lazily; ``page`` is set by the page's templates before use."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.page: WikiPage | None = None
        self._state: dict | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> "Chrome":
        if not hasattr(request, "_community_chrome"):
            request._community_chrome = cls(request)
        return request._community_chrome

    @property
    def signed_in(self) -> bool:
        user = getattr(self.request, "user", None)
        return user is not None and user.is_authenticated

    def for_page(self, page: WikiPage | None) -> "Chrome":
        if self._state is None and isinstance(page, WikiPage) and page.pk:
            self.page = page
        return self

    @property
    def state(self) -> dict:
        if self._state is None:
            self._state = self._read() if self.signed_in else {}
        return self._state

    @property
    def unread(self) -> int:
        return self.state.get("unread") or 0

    @property
    def watch(self) -> dict | None:
        """The reader's watch of the page: ``whole_page``, ``fields``; None when not watching."""
        if self.state.get("watch_id") is None:
            return None
        return {
            "whole_page": self.state["whole_page"],
            "fields": self.state["fields"] or [],
            "seen": self.state["seen"],
        }

    def _read(self) -> dict:
        # In plain SQL: on a page served from shared fragments this is most of what is left to
        # do, and building the ORM's query (five subqueries) cost ten times running it.
        page_id = self.page.pk if self.page is not None else None
        with connection.cursor() as cursor:
            cursor.execute(_READ_CHROME, [self.request.user.pk, page_id, self.request.user.pk])
            unread, watch_id, whole_page, fields, seen, current = cursor.fetchone()
        state = {"unread": unread or 0}
        if page_id is not None:
            if isinstance(fields, str | bytes):  # SQLite keeps JSON as text
                fields = json.loads(fields)
            state |= {
                "watch_id": watch_id,
                "whole_page": bool(whole_page) if watch_id is not None else None,
                "fields": fields,
                "seen": seen,
                "current": current,
            }
        self._mark_read(state)
        return state

    def _viewing_current(self, current: int) -> bool:
        """Whether the request shows the page as it is now: the page itself, or a diff up to
        its current revision (the watchlist's "changes since your last visit")."""
        match = getattr(self.request, "resolver_match", None)
        if match is None or self.request.method != "GET":
            return False
        if match.url_name == "detail":
            return True
        if match.url_name == "diff":
            to = self.request.GET.get("to", "")
            return not to or (to.isdecimal() and int(to) == current)
        return False

    def _mark_read(self, state: dict) -> None:
        """Viewing the page as it is now reads it: its watch and its watch notifications."""
        current, seen = state.get("current"), state.get("seen")
        if state.get("watch_id") is None or current is None:
            return
        if seen is not None and seen >= current or not self._viewing_current(current):
            return
        if read_only_reason():
            return
        Watch.objects.filter(pk=state["watch_id"]).update(seen_number=current)
        state["seen"] = current
        cleared = Notification.objects.filter(
            user=self.request.user, page_id=self.page.pk, kind__in=WATCH_KINDS, read_at=None
        ).update(read_at=timezone.now())
        state["unread"] = max(0, (state.get("unread") or 0) - cleared)
