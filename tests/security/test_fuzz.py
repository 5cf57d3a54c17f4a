"""Hostile values for every form field and query parameter of every URL in the URLconf.

Property: whatever is sent, as an anonymous reader, an editor or a moderator, the site never
answers 5xx, and a request it refuses (4xx) has stored nothing.

Every URL pattern of the URLconf is a target, its converters filled with real values (an
existing page's slug, revision, object id) or hostile ones. A target's fields are those its
own page shows (inputs, text areas, selects), with the values the page gives them, plus the
query parameters the site reads; each example replaces a few of them with hostile values and
sends the request as a GET or a POST.

Bounded for CI: a fixed number of examples per role (``EXAMPLES``) drawn from a fixed seed
(``derandomize``), so every run sends the same requests; ``HEATWIKI_FUZZ_EXAMPLES`` raises the
number for a longer local run.
"""

import os
import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from heatwiki.accounts.models import Block, ModerationLog
from heatwiki.wiki.kinds import page_kinds
from heatwiki.wiki.models import PageLink, Revision, WikiPage
from people.models import Credit
from scenes.models import Quote
from tests.formdata import form_data
from tests.test_admin import change_form_data

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HEATWIKI_FUZZ_EXAMPLES", "150"))
ROLES = ["anonymous", "editor", "moderator"]
HUGE = "99999999999999999999"
# Signing out would turn the rest of a role's run into an anonymous one.
SKIPPED = {"account_logout", "logout"}
# Query parameters the site's views (and the admin's) read, besides their forms' fields.
QUERY_NAMES = [
    "page",
    "p",
    "q",
    "kind",
    "user",
    "hideminor",
    "from",
    "to",
    "title",
    "next",
    "o",
    "e",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "_changelist_filters",
    "created_at__year",
    "created_at__month",
    "created_at__day",
    "page__page_kind",
    "work",
    "work__page__exact",
    "locations__page__exact",
    "author__id__exact",
    "_selected_action",
    "action",
    "index",
]

HOSTILE_WORDS = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "2",
    HUGE,
    "-" + HUGE,
    "9223372036854775808",
    "2147483648",
    "32768",
    "1e9",
    "1.5",
    "0x10",
    "\u0661\u0662",
    "abc",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\u202eevil",
    "\ufeff",
    "%00",
    "%",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "[[",
    "[[character:",
    "*" * 3000,
    "[" * 6000,
    "\r\n",
    "é" * 301,
    "null",
    "true",
    "on",
    "2020-13-45",
    "9999-12-31",
    "0000-00-00",
    "99:99:99",
    "P1000000000D",
    "1" * 320,
    "javascript:alert(1)",
    "http://",
    "scenes",
    "HeatWiki",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_WORDS),
    st.text(max_size=40),
    st.integers().map(str),
)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=0, max_size=3))
# The names of a route's converters, and a regex group made into one.
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
FIELD_NAME = re.compile(r"""<(?:input|textarea|select)\b[^>]*\bname=["']([^"']+)["']""")


def targets() -> list[tuple[str, str]]:
    """(route template, URL name) for every pattern in the URLconf."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + REGEX_GROUP.sub(r"<\1>", str(pattern.pattern)).strip("^$")
            route = route.replace("^", "").replace("$", "")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif pattern.name not in SKIPPED:
                yield route, pattern.name or ""

    return sorted(set(walk(get_resolver().url_patterns, "")))


class World:
    """Real values to fill routes with, and each target's fields as its page shows them."""

    def __init__(self) -> None:
        self.slugs = {
            model.url_namespace: model.objects.values_list("slug", flat=True)[0]
            for model in page_kinds()
        }
        self.page_id = str(WikiPage.objects.values_list("pk", flat=True)[0])
        self.fields: dict[tuple[str, str], tuple[list[str], dict]] = {}

    def real(self, route: str, name: str) -> str:
        if name == "slug":
            return self.slugs.get(route.split("/")[0], "heat")
        if name == "number":
            return "1"
        if name == "username":
            return "HeatWiki"
        if name == "app_label":
            return "wiki"
        if name in {"object_id", "content_type_id"}:
            return self.page_id
        return "x"

    def fill(self, route: str, draw) -> tuple[str, str]:
        """The route with real values (for finding its fields) and with drawn ones."""
        real = CONVERTER.sub(lambda m: self.real(route, m[2]), route)
        fuzzed = CONVERTER.sub(
            lambda m: quote(
                draw(st.sampled_from([self.real(route, m[2]), HUGE, "abc", "0", "%00", "x" * 300]))
                if draw(st.booleans())
                else self.real(route, m[2]),
                safe="",
            ),
            route,
        )
        return "/" + real, "/" + fuzzed

    def form(self, client: Client, role: str, path: str) -> tuple[list[str], dict]:
        """The field names the page at ``path`` shows, and the values it gives them."""
        key = (role, path)
        if key not in self.fields:
            response = client.get(path)
            assert response.status_code < 500, path
            names, defaults = [], {}
            if response.status_code == 200 and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                names = sorted(set(FIELD_NAME.findall(response.content.decode())))
                context = response.context or {}
                if "formsets" in context and "form" in context:
                    defaults = form_data(response)
                elif "adminform" in context:
                    defaults = change_form_data(response)
            self.fields[key] = (sorted(set(names) | set(defaults)), defaults)
        return self.fields[key]


def stored_state() -> tuple:
    """What a refused request must leave as it was."""
    pages = WikiPage.objects.order_by("-updated_at").values_list("pk", "updated_at").first()
    return (
        Revision.objects.count(),
        Revision.objects.filter(hidden_at__isnull=False).count(),
        WikiPage.objects.count(),
        WikiPage.objects.filter(protected_at__isnull=False).count(),
        pages,
        PageLink.objects.count(),
        Credit.objects.count(),
        Quote.objects.count(),
        get_user_model().objects.count(),
        EmailAddress.objects.count(),
        Block.objects.count(),
        ModerationLog.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_hostile_requests_never_fail_and_refusals_store_nothing(role, request):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    world, routes, sent = World(), targets(), []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def hostile_request(data) -> None:
        route, _ = data.draw(st.sampled_from(routes), label="route")
        real_path, path = world.fill(route, data.draw)
        names, defaults = world.form(client, role, real_path)
        method = data.draw(st.sampled_from(["GET", "POST"]), label="method")
        fields = dict(defaults) if method == "POST" else {}
        candidates = sorted(set(names) | set(QUERY_NAMES))
        for name in data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=4)):
            fields[name] = data.draw(hostile_value)
        before = stored_state()
        send = client.post if method == "POST" else client.get
        response = send(path, fields)
        sent.append(response.status_code)
        where = f"{method} {path} {fields!r}"[:2000]
        assert response.status_code < 500, where
        if response.status_code >= 400:
            assert stored_state() == before, f"a refused request changed something: {where}"

    hostile_request()
    assert len(sent) == EXAMPLES
