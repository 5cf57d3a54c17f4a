"""The engine's views, shared by every page kind: a kind only supplies its model and templates.

Read pages are generic class-based views; the forms are short functions. URL patterns pass
the kind's model in (see ``urls.kind_patterns``).
"""

import math
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from heatwiki.pagecache.fragments import Fragments, deferred, generation, open_fragments

from .addresses import find_page
from .describe import describe_many
from .embeds import expand_embeds
from .files import prepare_uploads, saved
from .forms import page_form_class, row_formsets, validate_all
from .images import UPLOAD_MAX_BYTES, UploadRefused
from .kinds import page_kinds
from .layers import exclude_hidden, page_layer, reader_layers, withhold_page
from .links import lookup, resolve_links
from .models import FilePage, Licence, PageLink, Revision, WikiPage
from .moderation import delete_page, undelete_page
from .paging import HistoryPaginator
from .permissions import (
    check_page,
    edit_rate_refusal,
    editor_required,
    is_moderator,
    moderator_required,
    over_edit_rate,
    page_refusal,
    request_edit_refusal,
)
from .replay import apply_fields, as_page
from .services import (
    CannotUndo,
    SaveOutcome,
    revert_page,
    save_page,
    undo_preview,
    undo_revision,
)
from .snapshot import Snapshot, from_forms, m2m_fields, take
from .textdiff import diff_lines, diff_values
from .wikilinks import Target

HISTORY_PAGE_SIZE = 50
# What the Edit tab needs to know whether the page is protected, and by whom.
PROTECTION_FIELDS = (
    "protected_at",
    "protected_until",
    "protection_reason",
    "protected_by__username",
)
# The largest number a revision can have: the top of a PositiveIntegerField in every database.
REVISION_NUMBER_MAX = 2**31 - 1


def detail_template(model: type[WikiPage]) -> str:
    meta = model._meta
    return f"{meta.app_label}/{meta.model_name}_detail.html"


class PageListView(ListView):
    paginate_by = 24
    template_name = "wiki/page_list.html"

    def get_queryset(self):
        # The pages of works the reader has not seen are not listed.
        return exclude_hidden(self.model.objects.for_list(), reader_layers(self.request))

    def get_context_data(self, **kwargs) -> dict:
        meta = self.model._meta
        return super().get_context_data(
            kind_label=self.model.kind_label(),
            kind_namespace=self.model.url_namespace,
            list_feed=self.model.list_feed,
            card_template=f"{meta.app_label}/{meta.model_name}_card.html",
            **kwargs,
        )


class PageDetailView(DetailView):
    """A page as it is now. What every reader sees of it (its header, infobox, body and
    relations) is rendered once per content generation and shared (``{% shared %}`` in the
    templates); each reader's own parts (the Edit tab, the header's account links) are
    rendered around it. Served from the shared fragments, the view reads no content at all:
    the page row is kept beside them."""

    def get_object(self, queryset=None) -> WikiPage:
        # The current revision's number (not its content) for the "changed since your last
        # visit" banner, in the same query.
        queryset = (
            self.model.objects.for_page()
            .select_related("protected_by", "current_revision")
            .defer("current_revision__snapshot", "current_revision__body_html")
        )
        page = find_page(self.request, self.model, self.kwargs["slug"], queryset)
        withhold_page(page, reader_layers(self.request))
        page.body_html = expand_embeds(page.body_html, moderator=is_moderator(self.request.user))
        return page

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(page_images(self.object, moderator=is_moderator(self.request.user)))
        return context

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        slug = self.kwargs["slug"]
        generation(request)  # first: the reader's account is then kept under it
        # Moderators see hidden images in bodies and galleries: their own shared parts.
        moderator = is_moderator(request.user)
        label = self.model._meta.label_lower
        fragments = open_fragments(request, "page", label, slug, moderator)
        stored = fragments.extra.get("page")
        self.object = stored if isinstance(stored, self.model) else self.get_object()
        if isinstance(stored, self.model):
            # The kind's image extras are shown in the shared parts alone: not read again.
            context = DetailView.get_context_data(self, object=self.object)
            context["moderator_view"] = moderator
        else:
            context = self.get_context_data(object=self.object)
        response = self.render_to_response(context)
        if hasattr(response, "render"):  # a withheld page's notice is rendered already
            response.render()
        _save_with_page(fragments, self.object, slug)
        return response

    def render_to_response(self, context, **kwargs) -> HttpResponse:
        # A page that belongs wholly to a work the reader has not seen (a scene of the novel)
        # is a notice naming the work: not even its title is shown.
        if layer := page_layer(self.object, reader_layers(self.request)):
            return _withheld(self.request, self.object, layer)
        return super().render_to_response(context, **kwargs)


def _withheld(request: HttpRequest, page: WikiPage, layer) -> HttpResponse:
    context = {"object": page, "layer": layer, "kind": page._meta.verbose_name}
    return render(request, "wiki/page_withheld.html", context)


def page_images(page: WikiPage, *, moderator: bool) -> dict:
    """What a page shows of images beyond its body: the kind's own extras (a file page's uses,
    a person's gallery), read by its queryset in a fixed number of queries."""
    return {"moderator_view": moderator, **type(page).objects.page_images(page)}


def page_row(page: WikiPage) -> WikiPage:
    """The page without what ``for_page()`` fetched for its fragments: what the reader's own
    parts read (title, address, protection and who set it), small enough to keep beside them."""
    row = copy(page)
    row.__dict__.pop("relations", None)
    row.__dict__.pop("_prefetched_objects_cache", None)
    kept = ("protected_by", "current_revision")
    cached = row._state.fields_cache
    row._state.fields_cache = {name: cached[name] for name in kept if name in cached}
    if (moderator := row._state.fields_cache.get("protected_by")) is not None:
        # Kept in the shared cache: a name to show, never a password hash.
        moderator = copy(moderator)
        moderator.password = ""
        row._state.fields_cache["protected_by"] = moderator
    return row


def page_handle(page: WikiPage) -> WikiPage:
    """What a reader's own parts of a page read of it (its address, protection, current
    revision), kept in its frames (heatwiki.pagecache.frames): the row without its body."""
    row = page_row(page)
    row.body = row.body_html = ""
    return row


def _page(
    request: HttpRequest, model: type[WikiPage], slug: str, *, deleted_for_moderators=False
) -> WikiPage:
    queryset = model.objects.select_related("current_revision", "protected_by")
    return find_page(request, model, slug, queryset, deleted_for_moderators=deleted_for_moderators)


def _check_visible(request: HttpRequest, *revisions: Revision) -> None:
    """Hidden revisions are for moderators' eyes only."""
    if any(r.is_hidden for r in revisions) and not is_moderator(request.user):
        raise PermissionDenied("This revision was hidden by a moderator.")


def history(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """Every revision of the page, newest first, with two to pick for comparing.

    The table is shared by every reader of the same standing (moderators see hidden
    revisions' links); the tabs around it are each reader's own."""
    number = request.GET.get("page") or ""
    fragments = open_fragments(
        request, "history", model._meta.label_lower, slug, number, query=["page"]
    )
    page = _stored_page(fragments, model)
    if page is None:
        fields = (
            "title",
            "slug",
            "page_kind",
            "deleted_at",
            "current_revision__number",
            *PROTECTION_FIELDS,
        )
        queryset = model.objects.select_related("current_revision", "protected_by").only(*fields)
        page = find_page(request, model, slug, queryset, deleted_for_moderators=True)
    moderator = is_moderator(request.user)

    def table() -> dict:
        revisions = page.revisions.select_related("author").defer("snapshot", "body_html")
        latest = page.current_revision.number if page.current_revision else 0
        page_obj = HistoryPaginator(revisions, HISTORY_PAGE_SIZE, latest).get_page(number)
        # Hidden revisions cannot be compared but by moderators: no radio buttons for them,
        # and the two checked at first are the newest two that can be.
        comparable = [r.number for r in page_obj.object_list if moderator or not r.is_hidden]
        return {
            "page_obj": page_obj,
            "revisions": page_obj.object_list,
            "comparable": set(comparable),
            "compare_to": comparable[0] if comparable else None,
            "compare_from": comparable[1] if len(comparable) > 1 else None,
        }

    names = ("page_obj", "revisions", "comparable", "compare_to", "compare_from")
    context = {"object": page, **deferred(table, *names)}
    response = render(request, "wiki/history.html", context)
    _save_with_page(fragments, page, slug)
    return response


def _stored_page(fragments: Fragments, model: type[WikiPage]) -> WikiPage | None:
    page = fragments.extra.get("page")
    return page if isinstance(page, model) else None


def _save_with_page(fragments: Fragments, page: WikiPage, slug: str, **extra) -> None:
    """Keep the page row (and ``extra``) beside the fragments, for every reader: only for a
    live page found at this address (a deleted one is found by moderators alone)."""
    if page.slug != slug or page.is_deleted:
        fragments.save()
    elif "page" in fragments.extra:
        fragments.save(**{k: v for k, v in extra.items() if k not in fragments.extra})
    else:
        fragments.save(page=page_row(page), **extra)


def revision(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    """The page exactly as it was in revision ``number``, relations included."""
    page = _page(request, model, slug, deleted_for_moderators=True)
    old = get_object_or_404(page.revisions.select_related("author", "hidden_by"), number=number)
    _check_visible(request, old)
    shown = as_page(page, old.snapshot)
    # The image it had, with its stored files, in one query.
    if shown.image_id:
        prefetch_related_objects(
            [shown], Prefetch("image", FilePage._base_manager.select_related("upload"))
        )
    # Shown at its address now, protected or not as it is now: the links, the Edit tab and the
    # revert form act on the page as it is today.
    shown.slug = page.slug
    shown.protected_at, shown.protected_by = page.protected_at, page.protected_by
    shown.protection_reason = page.protection_reason
    # Links are resolved against today's pages, so a link to a page created since is blue.
    moderator = is_moderator(request.user)
    reading = reader_layers(request)
    shown.body_html = resolve_links(old.body_html)[0]
    withhold_page(shown, reading)
    if layer := page_layer(shown, reading):
        return _withheld(request, shown, layer)
    shown.body_html = expand_embeds(shown.body_html, moderator=moderator)
    context = {
        "object": shown,
        "revision": old,
        "current_revision": page.current_revision,
        **page_images(shown, moderator=moderator),
    }
    return render(request, detail_template(model), context)


def diff(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """Two revisions compared field by field, relation by relation, the body line by line.

    The comparison is shared by every reader of the same standing; whether either revision is
    hidden is kept beside it, so a reader who may not see one is refused as before."""
    generation(request)  # first: the reader's account is then kept under it (accounts.readers)
    moderator = is_moderator(request.user)
    numbers = (request.GET.get("from") or "", request.GET.get("to") or "")
    # Signed-in readers' comparison has Thank buttons: an entry of its own, since a stored
    # entry keeps too little of the revisions to render another reader's parts.
    standing = (moderator, request.user.is_authenticated)
    fragments = open_fragments(
        request, "diff", model._meta.label_lower, slug, *numbers, *standing, query=["from", "to"]
    )
    page, shown = _stored_page(fragments, model), fragments.extra.get("diff")
    if page is None or shown is None:
        page = _page(request, model, slug, deleted_for_moderators=True)
        found = _diff_revisions(request, page)
        if isinstance(found, HttpResponse):
            return found
        old, new, latest = found
        shown = {
            "old": Shown.of(old),
            "new": Shown.of(new),
            "latest": latest,
        }
        context = {
            "object": page,
            "old": old,
            "new": new,
            "changes": SimpleLazyObject(lambda: _changes(model, old.snapshot, new.snapshot)),
            "images": SimpleLazyObject(
                lambda: model.objects.diff_images(old.snapshot, new.snapshot)
            ),
            "latest": latest,
        }
    else:
        context = {"object": page, **shown}
    context["moderator_view"] = moderator
    if shown["old"].is_hidden or shown["new"].is_hidden:
        _check_visible(request, shown["old"], shown["new"])
    context.update(
        old_label=f"Revision {shown['old'].number}", new_label=f"Revision {shown['new'].number}"
    )
    response = render(request, "wiki/diff.html", context)
    _save_with_page(fragments, page, slug, diff=shown)
    return response


@dataclass(frozen=True)
class Shown:
    """What a page around a shared comparison reads of each revision: its number, and
    whether it is hidden (from all but moderators)."""

    number: int
    is_hidden: bool

    @classmethod
    def of(cls, revision: Revision) -> "Shown":
        return cls(revision.number, revision.is_hidden)


def _diff_revisions(
    request: HttpRequest, page: WikiPage
) -> tuple[Revision, Revision, int] | HttpResponse:
    latest = page.current_revision.number if page.current_revision else 1
    try:
        to_number = int(request.GET.get("to") or latest)
        from_number = int(request.GET.get("from") or max(to_number - 1, 1))
    except ValueError:
        return _revision_error(request, 400, "Revision numbers in from= and to= are whole numbers.")
    # Numbers no revision can have are not sent to the database, which may refuse them.
    wanted = [n for n in (from_number, to_number) if 1 <= n <= REVISION_NUMBER_MAX]
    found = {r.number: r for r in page.revisions.select_related("author").filter(number__in=wanted)}
    for number in (from_number, to_number):
        if number not in found:
            return _revision_error(request, 404, f"{page.title} has no revision {number}.")
    return found[from_number], found[to_number], latest


def _revision_error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """The site's styled 400 or 404 page, with what was wrong with the revision numbers."""
    context = {"error_template": f"{status}.html", "message": message}
    return render(request, "wiki/revision_error.html", context, status=status)


def _changes(model: type[WikiPage], old: Snapshot, new: Snapshot) -> list[dict]:
    changes = []
    for before, after in zip(*describe_many(model, [old, new]), strict=True):
        change = {"label": before.label, "name": before.name}
        if before.is_body:
            change["hunks"] = diff_lines(before.text, after.text)
            if change["hunks"]:
                changes.append(change)
        elif before.is_list:
            change["removed"] = [item for item in before.items if item not in after.items]
            change["added"] = [item for item in after.items if item not in before.items]
            if change["removed"] or change["added"]:
                changes.append(change)
        elif before.text != after.text:
            change["old"], change["new"] = diff_values(before.text, after.text)
            changes.append(change)
    return changes


def links(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """The pages whose current text links here."""
    page = find_page(
        request,
        model,
        slug,
        model.objects.select_related("protected_by").only(
            "title", "title_key", "slug", "page_kind", "deleted_at", *PROTECTION_FIELDS
        ),
    )
    # Each linking page once, marked when its link names one of the page's old titles.
    linking = list(
        WikiPage.objects.filter(links_out__target=page)
        .annotate(
            direct=Exists(
                PageLink.objects.filter(
                    source=OuterRef("pk"), target=page, target_key=page.title_key
                )
            )
        )
        .distinct()
        .order_by("title")
    )
    link_text = page.title
    if not linking:
        # The wiki link that reaches this page: a bare title may lead to another kind's page.
        bare = Target("", page.title)
        if getattr(lookup([bare]).get(bare), "pk", None) != page.pk:
            link_text = f"{model._meta.verbose_name}:{page.title}"
    context = {"object": page, "linking": linking, "link_text": link_text}
    return render(request, "wiki/links.html", context)


@editor_required
def choose_kind(request: HttpRequest) -> HttpResponse:
    """Where a red link without a kind leads: pick what kind of page to create."""
    title = request.GET.get("title", "")[:200]
    kinds = [(model, reverse(f"{model.url_namespace}:create")) for model in page_kinds()]
    return render(request, "wiki/choose_kind.html", {"title": title, "kinds": kinds})


def editor_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``editor_required`` for the edit and create forms, except that a save refused after the
    form was opened (a block that started meanwhile, the e-mail address removed) comes back as
    the form with everything that was typed, and the reason, rather than as an error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, model: type[WikiPage], **kwargs) -> HttpResponse:
        refusal = request.user.is_authenticated and request_edit_refusal(request)
        if refusal and request.method == "POST":
            page = _page(request, model, kwargs["slug"]) if "slug" in kwargs else None
            return _refused(request, model, page, status=403, message=refusal.message)
        return editor_required(view)(request, *args, model=model, **kwargs)

    return wrapper


@editor_form
def create(request: HttpRequest, model: type[WikiPage]) -> HttpResponse:
    if limited := edit_rate_refusal(request):
        return _refused(request, model, None, status=429, message=limited[0], retry=limited[1])
    return _edit(request, model, None)


@editor_form
def edit(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    page = _page(request, model, slug)
    if request.method == "POST" and (refusal := page_refusal(request.user, page)):
        # Protected while the form was open: the typed text comes back with the reason.
        return _refused(request, model, page, status=403, message=refusal)
    check_page(request.user, page)
    if limited := edit_rate_refusal(request):
        return _refused(request, model, page, status=429, message=limited[0], retry=limited[1])
    return _edit(request, model, page)


def _posted_summary(request: HttpRequest, default: str) -> str:
    return request.POST.get("summary", "").strip()[:300] or default


def _posted_base(request: HttpRequest) -> int | None:
    """The revision the user was looking at, as the form sent it; None when absent or not a
    revision number."""
    value = request.POST.get("base_revision", "")
    return int(value) if value.isdecimal() and 1 <= int(value) <= REVISION_NUMBER_MAX else None


def _refuse_hidden_content(request: HttpRequest, page: WikiPage, number: int) -> HttpResponse:
    # Only moderators get here. Hidden text never becomes the page's current content.
    messages.error(
        request,
        f"Revision {number} is hidden, so its content cannot become the page's again. "
        "Unhide it first if it should. Nothing was changed.",
    )
    return redirect(page.kind_url("history"))


def _refuse_taken_title(request: HttpRequest, page: WikiPage, what: str) -> HttpResponse:
    # Another page of the kind has taken the old revision's title or address since.
    messages.error(
        request,
        f"{what} cannot be restored: another {type(page)._meta.verbose_name} now has its "
        "title or address. Nothing was changed.",
    )
    return redirect(page.kind_url("history"))


def _refused(
    request: HttpRequest,
    model: type[WikiPage],
    page: WikiPage | None,
    *,
    status: int,
    message: str,
    retry: int | None = None,
) -> HttpResponse:
    """A save that was not made: the form again with everything that was posted (the summary
    too), and why, at the top. Nothing is validated or saved."""
    form_class = page_form_class(model, creating=page is None)
    form = form_class(request.POST, instance=copy(page) if page else model())
    form._errors = ErrorDict()  # shown as posted, not validated: nothing was tried
    formsets = row_formsets(model, request.POST)
    for formset in formsets.values():
        formset._non_form_errors = formset.error_class()
        formset._errors = []
        for row in formset.forms:
            row._errors = ErrorDict()
            formset._errors.append(row._errors)
    context = _form_context(request, model, page, form, formsets)
    context["refusal"] = message
    if retry is not None:
        context["retry_at"] = timezone.now() + timedelta(seconds=retry)
        context["retry_minutes"] = max(1, math.ceil(retry / 60))
    response = render(request, "wiki/page_form.html", context, status=status)
    if retry is not None:
        response["Retry-After"] = str(retry)
    return response


def _form_context(request, model, page, form, formsets, conflicts=()) -> dict:
    return {
        "form": form,
        "formsets": formsets,
        "object": page,
        "model": model,
        "kind_name": model._meta.verbose_name,
        "conflicts": list(conflicts),
        "upload_max_mb": UPLOAD_MAX_BYTES // 1024 // 1024,
        "licences": Licence.choices,
    }


@editor_required
@require_POST
def revert(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    """Make the page revision ``number`` again. What was saved after the revision the user was
    looking at (``base_revision``) is kept where it does not overlap, or shown as a conflict."""
    page = _page(request, model, slug)
    check_page(request.user, page)
    old = get_object_or_404(page.revisions, number=number)
    _check_visible(request, old)
    if limited := over_edit_rate(request):
        return limited
    if old.is_hidden:
        return _refuse_hidden_content(request, page, number)
    summary = _posted_summary(request, f"Reverted to revision {number}")
    try:
        outcome = revert_page(
            page=page,
            number=number,
            author=request.user,
            base_revision=_posted_base(request),
            summary=summary,
        )
    except IntegrityError:
        return _refuse_taken_title(request, page, f"Revision {number}")
    if outcome.conflicts:
        intro = (
            f"The page changed after the revision you were looking at, and those changes overlap "
            f"what reverting to revision {number} would undo. Nothing has been saved: below is "
            "the page with the revert applied where it could be; settle each part and save."
        )
        return _conflict_form(request, model, outcome, summary, intro)
    if outcome.unchanged:
        messages.info(request, f"The page already matches revision {number}: nothing to revert.")
    elif outcome.merged:
        messages.success(
            request,
            f"Reverted to revision {number}, keeping the changes saved since you looked: "
            f"revision {outcome.revision.number}.",
        )
    else:
        messages.success(
            request, f"Reverted to revision {number}, saved as revision {outcome.revision.number}."
        )
    return redirect(outcome.page)


@editor_required
def undo(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    """Take back what revision ``number`` changed, keeping every later edit: a preview of the
    result with a summary to confirm (GET), then the save (POST)."""
    page = _page(request, model, slug)
    check_page(request.user, page)
    wanted = [n for n in (number - 1, number) if 1 <= n <= REVISION_NUMBER_MAX]
    found = {r.number: r for r in page.revisions.select_related("author").filter(number__in=wanted)}
    if number not in found:
        return _revision_error(request, 404, f"{page.title} has no revision {number}.")
    undone, before = found[number], found.get(number - 1)
    _check_visible(request, undone)
    if before is not None and before.is_hidden:
        return _refuse_hidden_content(request, page, number - 1)
    author = undone.author.username
    summary = _posted_summary(request, f"Undid revision {number} by {author}")
    try:
        if request.method == "POST":
            if limited := over_edit_rate(request):
                return limited
            outcome = undo_revision(page=page, number=number, author=request.user, summary=summary)
        else:
            preview = undo_preview(page, number)
    except CannotUndo as refusal:
        return _revision_error(request, 400, str(refusal))
    except IntegrityError:
        return _refuse_taken_title(request, page, f"Revision {number - 1}'s title or address")
    intro = (
        f"Edits saved after revision {number} changed the same parts, so it cannot be taken "
        "back as it is. Nothing has been saved: below is the page with the undo applied where "
        "it could be; settle each part and save."
    )
    if request.method == "POST":
        if outcome.conflicts:
            return _conflict_form(request, model, outcome, summary, intro)
        if outcome.unchanged:
            messages.info(request, f"Nothing to undo: revision {number}'s change is gone already.")
        else:
            messages.success(
                request, f"Undid revision {number}, saved as revision {outcome.revision.number}."
            )
        return redirect(outcome.page)
    current = page.current_revision
    if preview.conflicts:
        outcome = SaveOutcome(page, conflicts=preview.conflicts, data=preview.merged)
        return _conflict_form(request, model, outcome, summary, intro, status=200)
    context = {
        "object": page,
        "undone": undone,
        "current": current,
        "changes": _changes(model, current.snapshot, preview.merged),
        "old_label": f"Now (revision {current.number})",
        "new_label": "After the undo",
        "summary": summary,
    }
    return render(request, "wiki/undo.html", context)


def _conflict_form(
    request: HttpRequest,
    model: type[WikiPage],
    outcome: SaveOutcome,
    summary: str,
    intro: str,
    status: int = 409,
) -> HttpResponse:
    """The edit form filled in from a merge that conflicted (of a revert or an undo), its
    conflicts shown with both versions; saving it is an ordinary edit of the current page."""
    page = outcome.page
    instance = copy(page)
    apply_fields(instance, outcome.data)
    initial = {f.name: outcome.data.get(f.name, []) for f in m2m_fields(model)}
    initial.update(base_revision=page.current_revision.number, summary=summary)
    context = {
        "form": page_form_class(model, creating=False)(instance=instance, initial=initial),
        "formsets": row_formsets(model, snapshot=outcome.data),
        "object": page,
        "model": model,
        "kind_name": model._meta.verbose_name,
        "conflicts": _conflict_views(model, outcome, outcome.data),
        "conflict_intro": intro,
        "form_action": page.kind_url("edit"),
    }
    return render(request, "wiki/page_form.html", context, status=status)


@moderator_required
def delete(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """Moderators: a confirmation naming the pages that link here (GET), then the deletion,
    with its reason (POST). Nothing is lost: the page and its history stay for undeletion."""
    page = _page(request, model, slug)
    error = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()[:300]
        if reason:
            delete_page(page=page, moderator=request.user, reason=reason)
            messages.success(request, f"Deleted “{page.title}”. It can be undeleted from here.")
            return redirect(page.kind_url("history"))
        error = "Give a reason: readers of the address see it, and it is logged."
    linking = WikiPage.objects.filter(links_out__target=page).distinct().order_by("title")
    context = {"object": page, "linking": linking[:100], "error": error}
    return render(request, "wiki/page_delete.html", context, status=400 if error else 200)


@moderator_required
def undelete(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """Moderators: put a deleted page back, history and all (GET confirms, POST acts)."""
    page = get_object_or_404(
        model._base_manager.select_related("deleted_by"), slug=slug, deleted_at__isnull=False
    )
    if request.method == "POST":
        undelete_page(page=page, moderator=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, f"Undeleted “{page.title}”, with all its revisions.")
        return redirect(page)
    return render(request, "wiki/page_undelete.html", {"object": page})


def _edit(request: HttpRequest, model: type[WikiPage], page: WikiPage | None) -> HttpResponse:
    form_class = page_form_class(model, creating=page is None)
    current: Revision | None = page.current_revision if page else None
    current_data = current.snapshot if current else (take(page) if page else {})
    status, conflicts = 200, []
    if request.method != "POST":
        if page is None:
            form = form_class(initial={"title": request.GET.get("title", "")[:200]})
        else:
            form = form_class(
                instance=page, initial={"base_revision": getattr(current, "number", None)}
            )
        formsets = row_formsets(model, snapshot=current_data)
    else:
        # The form validates a copy: the page keeps its saved values for the heading.
        form = form_class(request.POST, request.FILES, instance=copy(page) if page else model())
        formsets = row_formsets(model, request.POST)
        status = 400
        if validate_all(form, formsets):
            rows = {name: formset.rows() for name, formset in formsets.items()}
            data = {**current_data, **from_forms(model, form.cleaned_data, rows)}
            try:
                data = prepare_uploads(form, data, request.user)
            except UploadRefused as refusal:
                status = 429
                form.add_error(None, f"{refusal} Nothing was saved.")
                context = _form_context(request, model, page, form, formsets)
                return render(request, "wiki/page_form.html", context, status=status)
            try:
                outcome = save_page(
                    page=page or model(),
                    data=data,
                    author=request.user,
                    summary=form.cleaned_data["summary"],
                    minor=form.cleaned_data["minor"],
                    base_revision=form.cleaned_data["base_revision"] if page else None,
                )
            except IntegrityError:
                form.add_error(
                    None,
                    "This clashes with something saved meanwhile (a title, an address or a "
                    "row that must be unique). Nothing was saved; check and save again.",
                )
            else:
                if not outcome.conflicts:
                    saved(outcome.page)
                    _tell(request, outcome)
                    return redirect(outcome.page)
                status, conflicts = 409, _conflict_views(model, outcome, data)
                # Saving again merges against what is current now, keeping the editor's text.
                page = outcome.page
                post = request.POST.copy()
                post["base_revision"] = str(page.current_revision.number)
                if form.cleaned_data.get("new_image") and data.get("image"):
                    # The image uploaded is a file page already: picked, not uploaded again.
                    post["image"] = str(data["image"])
                form = form_class(post, instance=copy(page))
                formsets = row_formsets(model, post)
                validate_all(form, formsets)
    context = _form_context(request, model, page, form, formsets, conflicts)
    return render(request, "wiki/page_form.html", context, status=status)


def _tell(request: HttpRequest, outcome: SaveOutcome) -> None:
    if outcome.unchanged:
        messages.info(request, "You made no changes, so no new revision was saved.")
    elif outcome.merged:
        messages.success(
            request,
            "Someone saved this page while you were editing. Your changes did not overlap "
            f"theirs, so both were kept: revision {outcome.revision.number}.",
        )
    else:
        messages.success(request, f"Saved as revision {outcome.revision.number}.")


def _conflict_views(model: type[WikiPage], outcome: SaveOutcome, mine: Snapshot) -> list[dict]:
    theirs = outcome.page.current_revision.snapshot
    theirs_view, mine_view = describe_many(model, [theirs, mine])
    conflicting = {conflict.field for conflict in outcome.conflicts}
    views = []
    # In the form's order: snapshots read back from a jsonb column have their keys reordered.
    for theirs_field, mine_field in zip(theirs_view, mine_view, strict=True):
        if theirs_field.name not in conflicting:
            continue
        view = {"label": theirs_field.label, "name": theirs_field.name}
        if theirs_field.is_body:
            view["hunks"] = diff_lines(theirs_field.text, mine_field.text)
        else:
            view["theirs"], view["mine"] = theirs_field.text, mine_field.text
        views.append(view)
    return views
