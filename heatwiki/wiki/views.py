"""The engine's views, shared by every page kind: a kind only supplies its model and templates.

Read pages are generic class-based views; the forms are short functions. URL patterns pass
the kind's model in (see ``urls.kind_patterns``).
"""

import math
from collections.abc import Callable
from copy import copy
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from .describe import describe_many
from .editor import UPLOAD_MAX_BYTES
from .forms import page_form_class, row_formsets, validate_all
from .kinds import page_kinds
from .links import lookup, resolve_links
from .models import Revision, WikiPage
from .paging import HistoryPaginator
from .permissions import (
    check_page,
    edit_rate_refusal,
    editor_required,
    is_moderator,
    over_edit_rate,
    page_refusal,
    request_edit_refusal,
)
from .replay import as_page
from .services import SaveOutcome, revert_page, save_page
from .snapshot import Snapshot, from_forms, take
from .textdiff import diff_lines, diff_values
from .wikilinks import Target

HISTORY_PAGE_SIZE = 50
# What the Edit tab needs to know whether the page is protected, and by whom.
PROTECTION_FIELDS = ("protected_at", "protection_reason", "protected_by__username")
# The largest number a revision can have: the top of a PositiveIntegerField in every database.
REVISION_NUMBER_MAX = 2**31 - 1


def detail_template(model: type[WikiPage]) -> str:
    meta = model._meta
    return f"{meta.app_label}/{meta.model_name}_detail.html"


class PageListView(ListView):
    paginate_by = 24
    template_name = "wiki/page_list.html"

    def get_queryset(self):
        return self.model.objects.for_list()

    def get_context_data(self, **kwargs) -> dict:
        meta = self.model._meta
        return super().get_context_data(
            kind_label=self.model.kind_label(),
            kind_namespace=self.model.url_namespace,
            card_template=f"{meta.app_label}/{meta.model_name}_card.html",
            **kwargs,
        )


class PageDetailView(DetailView):
    def get_queryset(self):
        return self.model.objects.for_page().select_related("protected_by")


def _page(model: type[WikiPage], slug: str) -> WikiPage:
    return get_object_or_404(
        model.objects.select_related("current_revision", "protected_by"), slug=slug
    )


def _check_visible(request: HttpRequest, *revisions: Revision) -> None:
    """Hidden revisions are for moderators' eyes only."""
    if any(r.is_hidden for r in revisions) and not is_moderator(request.user):
        raise PermissionDenied("This revision was hidden by a moderator.")


def history(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """Every revision of the page, newest first, with two to pick for comparing."""
    fields = ("title", "slug", "page_kind", "current_revision__number", *PROTECTION_FIELDS)
    page = get_object_or_404(
        model.objects.select_related("current_revision", "protected_by").only(*fields), slug=slug
    )
    revisions = page.revisions.select_related("author").defer("snapshot", "body_html")
    latest = page.current_revision.number if page.current_revision else 0
    paginator = HistoryPaginator(revisions, HISTORY_PAGE_SIZE, latest)
    page_obj = paginator.get_page(request.GET.get("page"))
    # Hidden revisions cannot be compared but by moderators: no radio buttons for them, and
    # the two checked at first are the newest two that can be.
    moderator = is_moderator(request.user)
    comparable = [r.number for r in page_obj.object_list if moderator or not r.is_hidden]
    context = {
        "object": page,
        "page_obj": page_obj,
        "revisions": page_obj.object_list,
        "comparable": set(comparable),
        "compare_to": comparable[0] if comparable else None,
        "compare_from": comparable[1] if len(comparable) > 1 else None,
    }
    return render(request, "wiki/history.html", context)


def revision(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    """The page exactly as it was in revision ``number``, relations included."""
    page = _page(model, slug)
    old = get_object_or_404(page.revisions.select_related("author", "hidden_by"), number=number)
    _check_visible(request, old)
    shown = as_page(page, old.snapshot)
    # Shown at its address now, protected or not as it is now: the links, the Edit tab and the
    # revert form act on the page as it is today.
    shown.slug = page.slug
    shown.protected_at, shown.protected_by = page.protected_at, page.protected_by
    shown.protection_reason = page.protection_reason
    # Links are resolved against today's pages, so a link to a page created since is blue.
    shown.body_html = resolve_links(old.body_html)[0]
    context = {"object": shown, "revision": old, "current_revision": page.current_revision}
    return render(request, detail_template(model), context)


def diff(request: HttpRequest, slug: str, model: type[WikiPage]) -> HttpResponse:
    """Two revisions compared field by field, relation by relation, the body line by line."""
    page = _page(model, slug)
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
    old, new = found[from_number], found[to_number]
    _check_visible(request, old, new)
    context = {
        "object": page,
        "old": old,
        "new": new,
        "changes": _changes(model, old.snapshot, new.snapshot),
        "latest": latest,
    }
    return render(request, "wiki/diff.html", context)


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
    page = get_object_or_404(
        model.objects.select_related("protected_by").only(
            "title", "slug", "page_kind", *PROTECTION_FIELDS
        ),
        slug=slug,
    )
    linking = list(WikiPage.objects.filter(links_out__target=page).distinct().order_by("title"))
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
            page = _page(model, kwargs["slug"]) if "slug" in kwargs else None
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
    page = _page(model, slug)
    if request.method == "POST" and (refusal := page_refusal(request.user, page)):
        # Protected while the form was open: the typed text comes back with the reason.
        return _refused(request, model, page, status=403, message=refusal)
    check_page(request.user, page)
    if limited := edit_rate_refusal(request):
        return _refused(request, model, page, status=429, message=limited[0], retry=limited[1])
    return _edit(request, model, page)


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
    }


@editor_required
@require_POST
def revert(request: HttpRequest, slug: str, number: int, model: type[WikiPage]) -> HttpResponse:
    page = _page(model, slug)
    check_page(request.user, page)
    old = get_object_or_404(page.revisions, number=number)
    _check_visible(request, old)
    if limited := over_edit_rate(request):
        return limited
    if old.is_hidden:
        # Only moderators get here. Hidden text never becomes the page's current content.
        messages.error(
            request,
            f"Revision {number} is hidden, so its content cannot become the page's again. "
            "Unhide it first if it should. Nothing was changed.",
        )
        return redirect(page.kind_url("history"))
    try:
        outcome = revert_page(page=page, number=number, author=request.user)
    except IntegrityError:
        # Another page of the kind has taken the old revision's title or address since.
        messages.error(
            request,
            f"Revision {number} cannot be restored: another {model._meta.verbose_name} now has "
            "its title or address. Nothing was changed.",
        )
        return redirect(page.kind_url("history"))
    if outcome.unchanged:
        messages.info(request, f"The page already matches revision {number}: nothing to revert.")
    else:
        messages.success(
            request, f"Reverted to revision {number}, saved as revision {outcome.revision.number}."
        )
    return redirect(outcome.page)


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
        form = form_class(request.POST, instance=copy(page) if page else model())
        formsets = row_formsets(model, request.POST)
        status = 400
        if validate_all(form, formsets):
            rows = {name: formset.rows() for name, formset in formsets.items()}
            data = {**current_data, **from_forms(model, form.cleaned_data, rows)}
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
                    _tell(request, outcome)
                    return redirect(outcome.page)
                status, conflicts = 409, _conflict_views(model, outcome, data)
                # Saving again merges against what is current now, keeping the editor's text.
                page = outcome.page
                post = request.POST.copy()
                post["base_revision"] = str(page.current_revision.number)
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
