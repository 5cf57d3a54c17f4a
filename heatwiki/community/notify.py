"""Who hears of what, and how: run by the background jobs in ``tasks``, never in a request."""

import re
from collections import defaultdict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from heatwiki.wiki.kinds import kind_model
from heatwiki.wiki.models import Revision
from heatwiki.wiki.snapshot import Snapshot, field_names, same_content

from .models import Delivery, Notification, Preferences, TalkPost, Thanks, TopicFollow, Watch

Kind = Notification.Kind
# "@name" not inside a word or an address: usernames are letters, digits and . + - _
MENTION = re.compile(r"(?<![\w@/])@([\w.+-]{1,150})")
UNSUBSCRIBE_SALT = "heatwiki.community.unsubscribe"
ALL_KINDS = "*"
BATCH = 500
# A post naming more people than this tells only the first: mentions are not a mailing list.
MENTIONS_MAX = 50


def mentioned_usernames(text: str) -> list[str]:
    """The usernames ``@``-mentioned in a text, lower-cased (as accounts store them), once
    each, the first ``MENTIONS_MAX`` of them."""
    names = [name.rstrip(".-").lower() for name in MENTION.findall(text)]
    return list(dict.fromkeys(name for name in names if name))[:MENTIONS_MAX]


def changed_fields(model, before: Snapshot | None, after: Snapshot) -> list[str]:
    """The fields and relations a revision changed, in the page's field order."""
    before = before or {}
    return [
        name
        for name in field_names(model)
        if name in after and not same_content({name: before.get(name)}, {name: after[name]})
    ]


def field_labels(model, names: list[str]) -> list[str]:
    labels = {}
    for f in [*model._meta.get_fields()]:
        if getattr(f, "name", None) in names:
            labels[f.name] = str(getattr(f, "verbose_name", None) or f.name)
    for name in names:
        if name in getattr(model, "owned_rows", {}):
            related = model._meta.get_field(name).related_model
            labels[name] = str(related._meta.verbose_name_plural)
    return [labels.get(name, name) for name in names]


def watchable_fields(model) -> list[tuple[str, str]]:
    """What of a kind's pages can be watched on its own: every field but the title and the
    address (watching the page covers those), with its label."""
    names = [name for name in field_names(model) if name not in {"title", "slug"}]
    return list(zip(names, field_labels(model, names), strict=True))


def preferences_for(user_ids) -> dict[int, Preferences]:
    ids = set(user_ids)
    found = {p.user_id: p for p in Preferences.objects.filter(user_id__in=ids)} if ids else {}
    return {pk: found.get(pk) or Preferences(user_id=pk) for pk in ids}


def create(notifications: list[Notification]) -> list[Notification]:
    """Store the notifications their recipients want (each by their preference for its kind),
    one per recipient of an event (the first given wins); return those stored. In batches, so
    an event with many watchers never builds one huge query."""
    created, seen = [], set()
    for start in range(0, len(notifications), BATCH):
        created += _create(notifications[start : start + BATCH], seen)
    return created


def _create(notifications: list[Notification], seen: set[int]) -> list[Notification]:
    prefs = preferences_for(n.user_id for n in notifications)
    kept = []
    for n in notifications:
        delivery = prefs[n.user_id].delivery(n.kind)
        if delivery == Delivery.OFF or n.user_id in seen:
            continue
        seen.add(n.user_id)
        n.delivery = delivery
        kept.append(n)
    created = Notification.objects.bulk_create(kept)
    if any(n.pk is None for n in created):  # a database that does not return the ids
        ids = Notification.objects.order_by("-id").values_list("pk", flat=True)[: len(created)]
        for n, pk in zip(created, reversed(list(ids)), strict=True):
            n.pk = pk
    return created


def emailed_now(notifications: list[Notification]) -> list[int]:
    return [n.pk for n in notifications if n.delivery == Delivery.EMAIL]


def users_named(names: list[str], exclude: set[int]) -> list:
    if not names:
        return []
    users = get_user_model().objects.filter(username__in=names, is_active=True)
    return [u for u in users.only("pk", "username") if u.pk not in exclude]


def diff_url(revision: Revision) -> str:
    page = revision.page
    if revision.number == 1:
        return page.kind_url("revision", number=1)
    return f"{page.kind_url('diff')}?from={revision.number - 1}&to={revision.number}"


def revision_saved(revision_id: int) -> list[int]:
    """A new revision: its author watches the page (a preference) and has read it; watchers of
    the page, and of the fields it changed, are told; so are people its summary mentions.
    Returns the notifications to e-mail at once."""
    revision = Revision.objects.select_related("page", "author").get(pk=revision_id)
    page, author = revision.page, revision.author
    if revision.is_hidden or page.is_deleted:
        return []
    model = kind_model(page.page_kind)
    page = model._base_manager.get(pk=page.pk)
    revision.page = page
    previous = (
        Revision.objects.filter(page=page, number=revision.number - 1)
        .values_list("snapshot", flat=True)
        .first()
    )
    changed = changed_fields(model, previous, revision.snapshot)
    if author.is_active:
        _watch_own_edit(author, revision)
    url = diff_url(revision)
    notifications = []
    # Mentions first: someone both mentioned and watching hears of the mention.
    for user in users_named(mentioned_usernames(revision.summary), {author.pk}):
        text = f"{author.username} mentioned you in an edit summary of {page.title}"
        notifications.append(_about(revision, user.pk, Kind.MENTION, text, url))
    # Not those who have read this revision already (a watch begun after it was saved).
    watches = Watch.objects.filter(
        page=page, user__is_active=True, seen_number__lt=revision.number
    ).exclude(user=author)
    for watch in watches.only("user_id", "whole_page", "fields").iterator(chunk_size=BATCH):
        # A field alert says more than "the page changed": it wins when both apply.
        if overlap := [name for name in changed if name in watch.fields]:
            kind, fields = Kind.FIELD_CHANGED, overlap
        elif watch.whole_page:
            kind, fields = Kind.PAGE_CHANGED, changed
        else:
            continue
        what = ", ".join(field_labels(model, fields)) if kind == Kind.FIELD_CHANGED else ""
        text = f"{author.username} changed {what + ' of ' if what else ''}{page.title}"
        notification = _about(revision, watch.user_id, kind, text, url)
        notification.fields = fields
        notifications.append(notification)
    return emailed_now(create(notifications))


def _about(revision: Revision, user_id: int, kind: str, text: str, url: str) -> Notification:
    return Notification(
        user_id=user_id,
        kind=kind,
        actor_id=revision.author_id,
        page_id=revision.page_id,
        revision=revision,
        text=text[:400],
        url=url,
    )


def _watch_own_edit(author, revision: Revision) -> None:
    prefs = preferences_for([author.pk])[author.pk]
    own = Watch.objects.filter(user=author, page_id=revision.page_id)
    # Their own revision is read; one saved by someone else meanwhile is not.
    own.filter(seen_number=revision.number - 1).update(seen_number=revision.number)
    if prefs.watch_edits and not own.exists():
        Watch.objects.get_or_create(
            user=author, page_id=revision.page_id, defaults={"seen_number": revision.number}
        )


def talk_posted(post_id: int) -> list[int]:
    """A new talk post: followers of its topic and the people it mentions are told."""
    post = TalkPost.objects.select_related("topic__page", "author").get(pk=post_id)
    if post.is_hidden:
        return []
    topic, author = post.topic, post.author
    url = post.get_absolute_url()
    notifications = []
    for user in users_named(mentioned_usernames(post.body), {author.pk}):
        text = f"{author.username} mentioned you in “{topic.title}” on {topic.page.title}'s talk"
        notifications.append(_talk(post, user.pk, Kind.MENTION, text, url))
    followers = TopicFollow.objects.filter(topic=topic, user__is_active=True).exclude(user=author)
    for user_id in followers.values_list("user_id", flat=True).iterator(chunk_size=BATCH):
        text = f"{author.username} replied in “{topic.title}” on {topic.page.title}'s talk"
        notifications.append(_talk(post, user_id, Kind.TALK_REPLY, text, url))
    return emailed_now(create(notifications))


def _talk(post: TalkPost, user_id: int, kind: str, text: str, url: str) -> Notification:
    return Notification(
        user_id=user_id,
        kind=kind,
        actor_id=post.author_id,
        page_id=post.topic.page_id,
        post=post,
        text=text[:400],
        url=url,
    )


def thanked(thanks_id: int) -> list[int]:
    thanks = Thanks.objects.select_related("giver", "revision__page").get(pk=thanks_id)
    revision = thanks.revision
    if revision.author_id == thanks.giver_id:
        return []
    text = (
        f"{thanks.giver.username} thanked you for your edit of {revision.page.title} "
        f"(revision {revision.number})"
    )
    notification = _about(revision, revision.author_id, Kind.THANKS, text, diff_url(revision))
    notification.actor_id = thanks.giver_id
    return emailed_now(create([notification]))


def moderated(user_id: int, text: str, url: str) -> list[int]:
    notification = Notification(user_id=user_id, kind=Kind.MODERATION, text=text[:400], url=url)
    return emailed_now(create([notification]))


# E-mail ----------------------------------------------------------------------------------------


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    kinds = {*Kind.values, ALL_KINDS}
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("k") not in kinds
    ):
        return None
    return data["u"], data["k"]


def unsubscribe(user_id: int, kind: str) -> None:
    """No more e-mail of this kind (or of any, ``ALL_KINDS``): it stays on the site."""
    prefs, _ = Preferences.objects.get_or_create(user_id=user_id)
    for name in Kind.values if kind == ALL_KINDS else [kind]:
        if prefs.delivery(name) in {Delivery.EMAIL, Delivery.DIGEST}:
            setattr(prefs, name, Delivery.SITE)
    prefs.save()


def absolute(path: str) -> str:
    return settings.HEATWIKI_SITE_URL + path


def _message(user, subject: str, template: str, context: dict, kind: str) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(
        reverse("community:unsubscribe", kwargs={"token": unsubscribe_token(user.pk, kind)})
    )
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute(reverse("community:preferences")),
        "site_url": settings.HEATWIKI_SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=f"[HeatWiki] {subject}",
        body=render_to_string(f"community/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return message


def has_confirmed_address(user) -> bool:
    """Mail goes only to an active account's confirmed address: never to one typed by someone
    who does not own it."""
    if not user.is_active or not user.email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def email_one(notification_id: int) -> bool:
    """Send one notification's e-mail, unless sent already or the account has no address."""
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    user = notification.user
    if notification.emailed_at is not None or not has_confirmed_address(user):
        return False
    message = _message(
        user,
        notification.text,
        "notification",
        {"notification": notification, "url": absolute(notification.url)},
        notification.kind,
    )
    message.send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_recipients() -> list[int]:
    due = Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
    return sorted(set(due.values_list("user_id", flat=True)))


def email_digest(user_id: int) -> int:
    """One e-mail with every digest notification of the user not mailed yet, grouped by page;
    returns how many it held."""
    user = get_user_model().objects.get(pk=user_id)
    pending = list(
        Notification.objects.filter(user=user, delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .select_related("page")
        .order_by("created_at", "id")
    )
    if not pending:
        return 0
    if not has_confirmed_address(user):
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now()
        )
        return 0
    groups: dict[str, list[Notification]] = defaultdict(list)
    for n in pending:
        groups[n.page.title if n.page else "Your account"].append(n)
    count = len(pending)
    subject = f"Your daily digest: {count} notification{'s' if count != 1 else ''}"
    context = {
        "groups": [
            {"title": title, "items": [(n, absolute(n.url)) for n in items]}
            for title, items in groups.items()
        ],
        "count": count,
    }
    _message(user, subject, "digest", context, ALL_KINDS).send()
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return count
