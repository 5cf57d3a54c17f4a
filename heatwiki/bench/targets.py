"""What the benchmark loads that depends on the data, and the figures it derives.

The server's database is only reachable from a process with the server's environment, so a
``manage.py shell`` there runs TARGETS_SCRIPT and prints one line, ``BENCH {json}``: a signed-in
session for the benchmark's reader, the user with most edits and the longest history.
"""

import json
import math

MARKER = "BENCH "

TARGETS_SCRIPT = """
import json
from datetime import timedelta
from importlib import import_module
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.db.models import Count
from heatwiki.wiki.models import Revision

User = get_user_model()


def signed_in(user):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


reader, _ = User.objects.get_or_create(username="bench-reader", defaults={"email": ""})
# The saves' author: a confirmed address, and older than a day (the newcomers' edit rate).
editor, _ = User.objects.get_or_create(
    username="bench-editor",
    defaults={
        "email": "bench-editor@example.com",
        "date_joined": timezone.now() - timedelta(days=2),
    },
)
EmailAddress.objects.get_or_create(
    user=editor, email=editor.email, defaults={"verified": True, "primary": True}
)
busiest = (
    Revision.objects.values("author__username").annotate(edits=Count("id"))
    .order_by("-edits", "author__username").first()
)
longest = Revision.objects.select_related("page").order_by("-number", "page_id").first()
print("BENCH " + json.dumps({
    "cookie": signed_in(reader),
    "editor_cookie": signed_in(editor),
    "busiest_user": busiest["author__username"],
    "busiest_user_edits": busiest["edits"],
    "longest_history": longest.page.kind_url("history"),
    "longest_history_revisions": longest.number,
}))
"""


def parse_targets(output: str) -> dict:
    """The ``BENCH {json}`` line of the shell's output (which may print other lines too)."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            return json.loads(line.removeprefix(MARKER))
    raise ValueError("The benchmark's set-up printed no BENCH line.")


def history_pages(revisions: int, per_page: int) -> int:
    """How many history pages ``revisions`` revisions take (the last page's number)."""
    return max(1, math.ceil(revisions / per_page))


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest sample with ``fraction`` of them at or below."""
    if not samples:
        raise ValueError("No samples.")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
