"""Watchlist, notifications, preferences, unsubscribing, talk pages and thanks."""

import math
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from heatwiki.accounts.ratelimit import NEW_ACCOUNT_AGE, parse_rate, window_end, within_rate
from heatwiki.wiki.addresses import find_page
from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.markdown import render as render_markdown
from heatwiki.wiki.models import Revision, WikiPage
from heatwiki.wiki.paging import UncountedPaginator
from heatwiki.wiki.permissions import editor_required, is_moderator, moderator_required

from . import notify
from .models import (
    Notification,
    Preferences,
    TalkPost,
    TalkPostVersion,
    TalkTopic,
    Thanks,
    TopicFollow,
    Watch,
)
from .tasks import enqueue_on_commit, fan_out_talk_post, tell_thanked

EDIT_WINDOW = timedelta(minutes=15)
WATCHLIST_DAYS = 30
WATCHLIST_REVISIONS = 250
WATCHLIST_POSTS = 100
NOTIFICATIONS_PAGE_SIZE = 50
TOPICS_PAGE_SIZE = 50
TALK_CHANGES_PAGE_SIZE = 50
POST_MAX = 20_000
TOPIC_TITLE_MAX = 200
# A talk post's links to people it mentions: "[@name](/users/name/)".
MENTION_LINK = re.compile(r"(?<![\w@/\[])@([\w.+-]{1,150})")


def _number(value: str) -> int | None:
    """A row id as sent in a form or a query; None for anything else (a number too big for the
    database's ids included, which PostgreSQL would refuse)."""
    return int(value) if value.isascii() and value.isdecimal() and len(value) < 19 else None


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default


def _too_many(request: HttpRequest, key: str, rate: str, what: str) -> HttpResponse | None:
    """Count one ``what`` by the user; a 429 saying when it is allowed again once over."""
    if within_rate(f"{key}:{request.user.pk}", rate):
        return None
    limit, _ = parse_rate(rate)
    end = window_end(rate)
    message = (
        f"You have sent {limit} {what} in a short while, the most allowed. "
        f"Try again from {end:%H:%M} UTC."
    )
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, math.ceil((end - timezone.now()).total_seconds())))
    return response


def _talk_rate(user) -> str:
    new = user.date_joined > timezone.now() - NEW_ACCOUNT_AGE
    return settings.HEATWIKI_NEW_ACCOUNT_TALK_RATE if new else settings.HEATWIKI_TALK_RATE


def _live_page(request: HttpRequest, kind: str, slug: str) -> WikiPage:
    """The page a talk page belongs to: a moved page's old address answers 301 to its talk page
    at the new one, a deleted page's 410, as the page's own views do."""
    try:
        model = kind_model(kind)
    except LookupError:
        raise Http404("No such kind of page.") from None
    return find_page(request, model, slug, model.objects.select_related("current_revision"))


# Watching --------------------------------------------------------------------------------------


@require_POST
@login_required
def watch(request: HttpRequest, page_id: int) -> HttpResponse:
    """Watch or unwatch a page, or choose the fields watched on their own."""
    page = get_object_or_404(WikiPage.objects.select_related("current_revision"), pk=page_id)
    model = kind_model(page.page_kind)
    action = request.POST.get("action", "")
    back = _next_url(request, page.get_absolute_url())
    current = page.current_revision.number if page.current_revision else 0
    if action == "unwatch":
        Watch.objects.filter(user=request.user, page=page).delete()
        messages.success(request, f"“{page.title}” is off your watchlist.")
        return redirect(back)
    if action == "watch":
        whole, fields = True, None
    elif action == "fields":
        allowed = {name for name, _ in notify.watchable_fields(model)}
        chosen = request.POST.getlist("fields")
        if not set(chosen) <= allowed:
            return HttpResponse("Unknown field.", status=400, content_type="text/plain")
        whole, fields = request.POST.get("whole_page") == "on", sorted(chosen)
        if not whole and not fields:
            Watch.objects.filter(user=request.user, page=page).delete()
            messages.success(request, f"“{page.title}” is off your watchlist.")
            return redirect(back)
    else:
        return HttpResponse("Say watch, unwatch or fields.", status=400, content_type="text/plain")
    row, created = Watch.objects.get_or_create(
        user=request.user,
        page=page,
        defaults={"whole_page": whole, "fields": fields or [], "seen_number": current},
    )
    if not created:
        row.whole_page = whole
        if fields is not None:
            row.fields = fields
        row.save(update_fields=["whole_page", "fields"])
    messages.success(request, f"You are watching “{page.title}”.")
    return redirect(back)


def _flag(params, name: str) -> bool:
    return params.get(name) in {"1", "on", "true"}


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    """Changes to watched pages in the last 30 days, newest first, grouped by page; what came
    after the reader last read a page is unread."""
    user = request.user
    filters = {
        "hideminor": _flag(request.GET, "hideminor"),
        "hidemine": _flag(request.GET, "hidemine"),
        "fields": _flag(request.GET, "fields"),
    }
    watches = {
        w["page_id"]: w
        for w in Watch.objects.filter(user=user, page__deleted_at__isnull=True).values(
            "page_id",
            "seen_number",
            "whole_page",
            "fields",
            "page__title",
            "page__slug",
            "page__page_kind",
            "page__current_revision__number",
        )
    }
    since = timezone.now() - timedelta(days=WATCHLIST_DAYS)
    watched = Watch.objects.filter(user=user).values("page_id")
    revisions = (
        Revision.objects.filter(page__in=watched, created_at__gte=since, hidden_at__isnull=True)
        .select_related("author")
        .only(
            "page_id", "number", "created_at", "summary", "minor", "size_change", "author__username"
        )
        .order_by("-created_at", "-id")
    )
    if filters["hideminor"]:
        revisions = revisions.filter(minor=False)
    if filters["hidemine"]:
        revisions = revisions.exclude(author=user)
    if filters["fields"]:
        alerted = Notification.objects.filter(user=user, kind=Notification.Kind.FIELD_CHANGED)
        revisions = revisions.filter(pk__in=alerted.values("revision_id"))
        posts = []
    else:
        posts = (
            TalkPost.objects.filter(
                topic__page__in=watched, created_at__gte=since, hidden_at__isnull=True
            )
            .select_related("topic", "author")
            .order_by("-created_at", "-id")
        )
        if filters["hidemine"]:
            posts = posts.exclude(author=user)
        posts = list(posts[:WATCHLIST_POSTS])
    groups: dict[int, dict] = {}
    entries = [("revision", r) for r in revisions[:WATCHLIST_REVISIONS]] + [
        ("post", p) for p in posts
    ]
    entries.sort(key=lambda entry: entry[1].created_at, reverse=True)
    for what, item in entries:
        page_id = item.page_id if what == "revision" else item.topic.page_id
        w = watches.get(page_id)
        if w is None:
            continue
        group = groups.get(page_id)
        if group is None:
            group = groups[page_id] = _group(w)
        unread = what == "revision" and item.number > w["seen_number"]
        group["entries"].append({"kind": what, "item": item, "unread": unread})
    context = {
        "groups": list(groups.values()),
        "filters": filters,
        "watch_count": len(watches),
        "days": WATCHLIST_DAYS,
    }
    return render(request, "community/watchlist.html", context)


def _group(w: dict) -> dict:
    kind, slug = w["page__page_kind"], w["page__slug"]
    current, seen = w["page__current_revision__number"] or 0, w["seen_number"]
    page_url = reverse(f"{kind}:detail", kwargs={"slug": slug})
    diff_url = reverse(f"{kind}:diff", kwargs={"slug": slug})
    return {
        "title": w["page__title"],
        "url": page_url,
        "talk_url": reverse("community:talk", kwargs={"kind": kind, "slug": slug}),
        "history_url": reverse(f"{kind}:history", kwargs={"slug": slug}),
        "diff_url": diff_url,
        "unread": current > seen,
        "since_url": f"{diff_url}?from={seen}&to={current}" if 0 < seen < current else None,
        "only_fields": not w["whole_page"],
        "entries": [],
    }


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Every watched page read as it is now, and the watch notifications with them."""
    user = request.user
    current = WikiPage._base_manager.filter(pk=OuterRef("page_id"))
    number = current.values("current_revision__number")[:1]
    Watch.objects.filter(user=user).update(seen_number=Coalesce(Subquery(number), 0))
    Notification.objects.filter(
        user=user,
        kind__in=[Notification.Kind.PAGE_CHANGED, Notification.Kind.FIELD_CHANGED],
        read_at=None,
    ).update(read_at=timezone.now())
    messages.success(request, "Everything on your watchlist is marked read.")
    return redirect(_next_url(request, reverse("community:watchlist")))


# Notifications ---------------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        unread = Notification.objects.filter(user=request.user, read_at=None)
        if (chosen := _number(request.POST.get("id", ""))) is not None:
            unread = unread.filter(pk=chosen)
        unread.update(read_at=timezone.now())
        return redirect(_next_url(request, reverse("community:notifications")))
    rows = Notification.objects.filter(user=request.user).select_related("actor")
    page_obj = UncountedPaginator(rows, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "notifications": page_obj.object_list}
    return render(request, "community/notifications.html", context)


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    return redirect(notification.url)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["watch_edits", "page", "field", "reply", "mention", "thanks", "moderation"]
        labels = {
            "page": "A page you watch changed",
            "field": "A field you watch changed",
            "reply": "A reply in a talk topic you follow",
            "mention": "Someone mentioned you (@name)",
            "thanks": "Someone thanked you",
            "moderation": "A moderator acted on your edit or account",
        }


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    instance = Preferences.objects.filter(user=request.user).first() or Preferences(
        user=request.user
    )
    form = PreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your notification preferences are saved.")
            return redirect("community:preferences")
    status = 400 if form.errors else 200
    return render(request, "community/preferences.html", {"form": form}, status=status)


@csrf_exempt  # the signed token is the authority; mail clients' one-click POST has no cookie
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No e-mail of the kind the token names: a page with one button (GET), and the change
    (POST, also the one-click POST of mail clients, RFC 8058). No sign-in needed."""
    found = notify.read_unsubscribe_token(token)
    if found is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    user_id, kind = found
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    label = "all notifications" if kind == notify.ALL_KINDS else Notification.Kind(kind).label
    context = {"label": label, "done": False, "token": token}
    if request.method == "POST":
        notify.unsubscribe(user_id, kind)
        context["done"] = True
    return render(request, "community/unsubscribe.html", context)


# Talk pages ------------------------------------------------------------------------------------


def _with_mention_links(text: str) -> str:
    """Markdown with each ``@name`` of an existing account made a link to their page."""
    names = notify.mentioned_usernames(text)
    if not names:
        return text
    known = set(
        get_user_model().objects.filter(username__in=names).values_list("username", flat=True)
    )

    def link(match: re.Match) -> str:
        name = match.group(1).rstrip(".-")
        if name.lower() not in known:
            return match.group(0)
        rest = match.group(1)[len(name) :]
        url = reverse("wiki:contributions", kwargs={"username": name.lower()})
        return f"[@{name}]({url}){rest}"

    return MENTION_LINK.sub(link, text)


def render_post(text: str) -> str:
    """A post's Markdown as sanitised HTML: the pages' pipeline, with mentions linked."""
    return render_markdown(_with_mention_links(text))[0]


class TopicForm(forms.Form):
    title = forms.CharField(max_length=TOPIC_TITLE_MAX, strip=True)
    body = forms.CharField(max_length=POST_MAX, widget=forms.Textarea, strip=True)


class PostForm(forms.Form):
    body = forms.CharField(max_length=POST_MAX, widget=forms.Textarea, strip=True)


def talk_writer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The edit rules for talk posts: read-only mode, sign-in, a confirmed address, no block
    (``editor_required``); the talk rate on POSTs."""

    @editor_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            limited = _too_many(request, "talk", _talk_rate(request.user), "talk posts")
            if limited:
                return limited
        return view(request, *args, **kwargs)

    return wrapper


def talk(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """A page's talk: its topics, newest activity first, and a form for a new one."""
    page = _live_page(request, kind, slug)
    if request.method == "POST":
        return new_topic(request, page)
    topics = (
        TalkTopic.objects.filter(page=page)
        .select_related("author")
        .annotate(replies=Count("posts", filter=Q(posts__hidden_at__isnull=True)))
        .order_by("-last_post_at", "-id")
    )
    page_obj = UncountedPaginator(topics, TOPICS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"object": page, "page_obj": page_obj, "topics": page_obj.object_list}
    context["form"] = TopicForm()
    return render(request, "community/talk.html", context)


@talk_writer
def new_topic(request: HttpRequest, page: WikiPage) -> HttpResponse:
    form = TopicForm(request.POST)
    if not form.is_valid():
        context = {"object": page, "topics": [], "form": form, "page_obj": None}
        return render(request, "community/talk.html", context, status=400)
    with transaction.atomic():
        topic = TalkTopic.objects.create(
            page=page, title=form.cleaned_data["title"], author=request.user
        )
        post = _add_post(request, topic, None, form.cleaned_data["body"])
    messages.success(request, "Your topic is posted.")
    return redirect(post.get_absolute_url())


def _add_post(request: HttpRequest, topic: TalkTopic, parent: TalkPost | None, body: str):
    post = TalkPost.objects.create(
        topic=topic, parent=parent, author=request.user, body=body, body_html=render_post(body)
    )
    TalkTopic.objects.filter(pk=topic.pk).update(last_post_at=post.created_at)
    TopicFollow.objects.get_or_create(user=request.user, topic=topic)
    enqueue_on_commit(fan_out_talk_post, post.pk)
    post.topic = topic
    return post


def _topic(request: HttpRequest, kind: str, slug: str, topic_id: int) -> TalkTopic:
    page = _live_page(request, kind, slug)
    topic = get_object_or_404(TalkTopic.objects.select_related("locked_by"), pk=topic_id, page=page)
    topic.page = page
    return topic


def topic(request: HttpRequest, kind: str, slug: str, topic: int) -> HttpResponse:
    """A topic's posts as threads: each reply under the post it answers."""
    found = _topic(request, kind, slug, topic)
    if request.method == "POST":
        return reply(request, found)
    return _show_topic(request, found, PostForm())


def _show_topic(request, topic: TalkTopic, form, status: int = 200, parent=None) -> HttpResponse:
    posts = list(
        TalkPost.objects.filter(topic=topic)
        .select_related("author", "hidden_by")
        .annotate(version_count=Count("versions"))
    )
    children: dict[int | None, list[TalkPost]] = {}
    for post in posts:
        children.setdefault(post.parent_id, []).append(post)
    threads = []

    def walk(post: TalkPost, depth: int) -> None:
        threads.append({"post": post, "depth": min(depth, 6)})
        for child in children.get(post.pk, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    user = request.user
    following = (
        user.is_authenticated and TopicFollow.objects.filter(user=user, topic=topic).exists()
    )
    now = timezone.now()
    for entry in threads:
        post = entry["post"]
        entry["editable"] = (
            user.is_authenticated and post.author_id == user.pk and not post.is_hidden
        )
        entry["in_window"] = now - post.created_at <= EDIT_WINDOW
    context = {
        "object": topic.page,
        "topic": topic,
        "threads": threads,
        "form": form,
        "following": following,
        "reply_to": parent.pk if parent else _reply_to(request),
    }
    return render(request, "community/topic.html", context, status=status)


def _reply_to(request: HttpRequest) -> int | None:
    return _number(request.GET.get("reply", ""))


@talk_writer
def reply(request: HttpRequest, topic: TalkTopic) -> HttpResponse:
    if topic.is_locked and not is_moderator(request.user):
        raise PermissionDenied("This topic is locked: it takes no more replies.")
    parent = None
    if (parent_id := _number(request.POST.get("parent", ""))) is not None:
        parent = TalkPost.objects.filter(pk=parent_id, topic=topic).first()
        if parent is None:
            return HttpResponse(
                "No such post in this topic.", status=400, content_type="text/plain"
            )
    form = PostForm(request.POST)
    if not form.is_valid():
        return _show_topic(request, topic, form, status=400, parent=parent)
    with transaction.atomic():
        post = _add_post(request, topic, parent, form.cleaned_data["body"])
    messages.success(request, "Your reply is posted.")
    return redirect(post.get_absolute_url())


def _post(post_id: int) -> TalkPost:
    return get_object_or_404(TalkPost.objects.select_related("topic__page", "author"), pk=post_id)


@talk_writer
def edit_post(request: HttpRequest, post_id: int) -> HttpResponse:
    """Authors change their own posts: freely within 15 minutes; after that the post shows as
    edited and keeps what it said before."""
    post = _post(post_id)
    if post.author_id != request.user.pk:
        raise PermissionDenied("Only its author may change a post.")
    if post.is_hidden:
        raise PermissionDenied("A moderator hid this post: it cannot be changed.")
    if post.topic.is_locked and not is_moderator(request.user):
        raise PermissionDenied("This topic is locked.")
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if body != post.body:
            now = timezone.now()
            with transaction.atomic():
                if now - post.created_at > EDIT_WINDOW:
                    TalkPostVersion.objects.create(
                        post=post,
                        body=post.body,
                        body_html=post.body_html,
                        created_at=post.edited_at or post.created_at,
                    )
                    post.edited_at = now
                post.body, post.body_html = body, render_post(body)
                post.save(update_fields=["body", "body_html", "edited_at"])
        messages.success(request, "Your post is saved.")
        return redirect(post.get_absolute_url())
    in_window = timezone.now() - post.created_at <= EDIT_WINDOW
    context = {"object": post.topic.page, "post": post, "form": form, "in_window": in_window}
    return render(request, "community/post_edit.html", context, status=400 if form.errors else 200)


def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post(post_id)
    if post.is_hidden and not is_moderator(request.user):
        raise PermissionDenied("This post was hidden by a moderator.")
    context = {"object": post.topic.page, "post": post, "versions": post.versions.all()}
    return render(request, "community/post_history.html", context)


@require_POST
@moderator_required
def hide_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post(post_id)
    if request.POST.get("action") == "unhide":
        TalkPost.objects.filter(pk=post.pk).update(hidden_at=None, hidden_by=None, hidden_reason="")
        messages.success(request, "The post is shown again.")
        return redirect(post.get_absolute_url())
    reason = request.POST.get("reason", "").strip()[:300]
    if not reason:
        messages.error(request, "Give a reason for hiding the post: its author is told.")
        return redirect(post.get_absolute_url())
    TalkPost.objects.filter(pk=post.pk).update(
        hidden_at=timezone.now(), hidden_by=request.user, hidden_reason=reason
    )
    if post.author_id != request.user.pk:
        from .tasks import tell_moderated

        text = f"A moderator hid your post in “{post.topic.title}”. Reason: {reason}"
        enqueue_on_commit(tell_moderated, post.author_id, text, post.get_absolute_url())
    messages.success(request, "The post is hidden.")
    return redirect(post.get_absolute_url())


@require_POST
@moderator_required
def lock_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    found = get_object_or_404(TalkTopic.objects.select_related("page"), pk=topic_id)
    if request.POST.get("action") == "unlock":
        TalkTopic.objects.filter(pk=found.pk).update(locked_at=None, locked_by=None, lock_reason="")
        messages.success(request, "The topic is open again.")
    else:
        reason = request.POST.get("reason", "").strip()[:300]
        TalkTopic.objects.filter(pk=found.pk).update(
            locked_at=timezone.now(), locked_by=request.user, lock_reason=reason
        )
        messages.success(request, "The topic is locked: no more replies.")
    page = found.page
    return redirect("community:topic", kind=page.page_kind, slug=page.slug, topic=found.pk)


@require_POST
@login_required
def follow_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    found = get_object_or_404(TalkTopic.objects.select_related("page"), pk=topic_id)
    if request.POST.get("action") == "unfollow":
        TopicFollow.objects.filter(user=request.user, topic=found).delete()
        messages.success(request, "You no longer follow this topic.")
    else:
        TopicFollow.objects.get_or_create(user=request.user, topic=found)
        messages.success(request, "You follow this topic: replies will reach you.")
    page = found.page
    return redirect("community:topic", kind=page.page_kind, slug=page.slug, topic=found.pk)


def talk_changes(request: HttpRequest) -> HttpResponse:
    """Recent changes, talk only: new topics and replies across the wiki, newest first."""
    posts = (
        TalkPost.objects.filter(hidden_at__isnull=True, topic__page__deleted_at__isnull=True)
        .select_related("topic__page", "author")
        .only(
            "created_at",
            "parent_id",
            "author__username",
            "topic__title",
            "topic__page__title",
            "topic__page__slug",
            "topic__page__page_kind",
        )
        .order_by("-created_at", "-id")
    )
    page_obj = UncountedPaginator(posts, TALK_CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "posts": page_obj.object_list}
    return render(request, "community/talk_changes.html", context)


# Thanks ----------------------------------------------------------------------------------------


@require_POST
@editor_required
def thank(request: HttpRequest, revision_id: int) -> HttpResponse:
    revision = get_object_or_404(
        Revision.objects.select_related("page", "author").filter(page__deleted_at__isnull=True),
        pk=revision_id,
    )
    back = _next_url(request, revision.page.kind_url("history"))
    if revision.author_id == request.user.pk:
        messages.error(request, "You cannot thank yourself for your own edit.")
        return redirect(back)
    if revision.is_hidden or not revision.author.is_active:
        messages.error(request, "This edit cannot be thanked.")
        return redirect(back)
    if limited := _too_many(request, "thanks", settings.HEATWIKI_THANKS_RATE, "thanks"):
        return limited
    try:
        with transaction.atomic():
            thanks = Thanks.objects.create(giver=request.user, revision=revision)
            enqueue_on_commit(tell_thanked, thanks.pk)
    except IntegrityError:
        messages.info(
            request, f"You have thanked {revision.author.username} for this edit already."
        )
        return redirect(back)
    messages.success(
        request, f"You thanked {revision.author.username} for revision {revision.number}."
    )
    return redirect(back)


def thanks_of(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(get_user_model(), username=username)
    received = (
        Thanks.objects.filter(revision__author=person)
        .select_related("giver", "revision__page")
        .only(
            "created_at",
            "giver__username",
            "revision__number",
            "revision__page__title",
            "revision__page__slug",
            "revision__page__page_kind",
        )[:100]
    )
    given = (
        Thanks.objects.filter(giver=person)
        .select_related("revision__author", "revision__page")
        .only(
            "created_at",
            "revision__author__username",
            "revision__number",
            "revision__page__title",
            "revision__page__slug",
            "revision__page__page_kind",
        )[:100]
    )
    context = {"person": person, "received": received, "given": given}
    return render(request, "community/thanks.html", context)
