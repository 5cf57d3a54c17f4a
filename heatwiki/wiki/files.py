"""File pages' own parts: their edit form's upload, images uploaded from other forms and the
editor, the image files served to readers, and moderation of the images they carry.

A file page (``models.FilePage``) is a page kind like any other; what is particular to it is
that its content includes a stored image (``StoredImage``), which a re-upload replaces in a
new revision, and that hiding the revision that uploaded an image hides the image everywhere.
"""

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from heatwiki.accounts.ratelimit import within_rate
from heatwiki.pagecache.invalidation import content_changed

from .forms import PageForm, checked_image
from .images import CONTENT_TYPES, UploadRefused, size_refusal, store_upload
from .models import FilePage, Licence, Revision, StoredImage
from .permissions import editor_endpoint, is_moderator
from .services import save_page
from .signals import revisions_hidden
from .snapshot import take
from .titles import title_key

IMAGE_CACHE = "public, max-age=31536000, immutable"


class FilePageForm(PageForm):
    """A file page's form: its fields, and the image (required when creating; a new one on an
    edit is a re-upload, a new revision of the file with the old image kept in history)."""

    set_by_form = ("upload",)

    image_file = forms.FileField(
        required=False,
        label="Image",
        help_text="PNG or JPEG. On an existing file, a new image replaces it in a new revision; "
        "the old one stays in the history.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        order = list(self.fields)
        order.remove("image_file")
        self.order_fields(["image_file", *order])
        if not self.instance.pk:
            self.fields["image_file"].required = True
            self.fields["image_file"].help_text = "PNG or JPEG."

    def clean_image_file(self):
        return checked_image(self.cleaned_data.get("image_file"))

    def _get_validation_exclusions(self):
        # The stored image is set by the upload, after validation; it is never an input.
        return {*super()._get_validation_exclusions(), "upload"}


def upload_rate_refusal(user) -> str | None:
    if not within_rate(f"upload:{user.pk}", settings.HEATWIKI_UPLOAD_RATE):
        return "You have uploaded many images in a short while: wait a little."
    return None


def prepare_uploads(form: PageForm, data: dict, author) -> dict:
    """Store what the form uploads and put it in the snapshot to save: a file page's new image,
    or a new file page made from another page's "upload a new image" fields. UploadRefused
    (for the form's image field) when the upload rate is spent."""
    cleaned = form.cleaned_data
    if upload := cleaned.get("image_file"):
        if refusal := upload_rate_refusal(author):
            raise UploadRefused(refusal)
        data["upload"] = store_upload(upload.read(), uploaded_by=author).pk
    elif upload := cleaned.get("new_image"):
        if refusal := upload_rate_refusal(author):
            raise UploadRefused(refusal)
        page = create_file_page(
            raw=upload.read(),
            author=author,
            title=cleaned.get("title") or upload.name,
            alt_text=cleaned["new_image_alt"],
            caption=cleaned.get("new_image_caption", ""),
            credit=cleaned["new_image_credit"],
            source_url=cleaned.get("new_image_source_url", ""),
            licence=cleaned["new_image_licence"],
            rationale=cleaned.get("new_image_rationale", ""),
        )
        data["image"] = page.pk
    return data


def saved(page) -> None:
    """After a file page's save: its stored images know their page (for moderation)."""
    if isinstance(page, FilePage) and page.upload_id:
        StoredImage.objects.filter(pk=page.upload_id, file_page__isnull=True).update(file_page=page)


def free_title(base: str) -> str:
    """``base``, or ``base (2)``, ``(3)`` …: the first title and address no file page has."""
    base = " ".join(base.split())[:180] or "Image"
    taken_titles = set(
        FilePage._base_manager.filter(title_key__startswith=title_key(base)).values_list(
            "title_key", flat=True
        )
    )
    taken_slugs = set(
        FilePage._base_manager.filter(slug__startswith=slugify(base) or "image").values_list(
            "slug", flat=True
        )
    )
    title, number = base, 1
    while title_key(title) in taken_titles or (slugify(title) or "image") in taken_slugs:
        number += 1
        title = f"{base} ({number})"
    return title


def create_file_page(
    *,
    raw: bytes,
    author,
    title: str,
    alt_text: str,
    credit: str,
    licence: str,
    caption: str = "",
    source_url: str = "",
    rationale: str = "",
    body: str = "",
) -> FilePage:
    """A new file page for an uploaded image, saved as its first revision by ``author``.

    UploadRefused when the image is not one HeatWiki takes; ValueError for a licence not on
    the list or a fair-use screenshot without its rationale."""
    if licence not in Licence.values:
        raise ValueError("Choose a licence from the list.")
    if licence == Licence.FAIR_USE and not rationale.strip():
        raise ValueError("A fair-use screenshot needs its rationale.")
    stored = store_upload(raw, uploaded_by=author)
    title = free_title(title)
    page = FilePage()
    data = {
        **take_defaults(),
        "title": title,
        "slug": slugify(title)[:200] or "image",
        "upload": stored.pk,
        "alt_text": alt_text.strip(),
        "caption": caption.strip(),
        "credit": credit.strip(),
        "source_url": source_url.strip(),
        "licence": licence,
        "rationale": rationale.strip() if licence == Licence.FAIR_USE else "",
        "body": body,
    }
    outcome = save_page(page=page, data=data, author=author, summary="Uploaded the image")
    saved(outcome.page)
    return outcome.page


def take_defaults() -> dict:
    """A new file page's snapshot with every field empty, to fill in."""
    data = take(FilePage(upload=StoredImage(pk=0)))
    data.pop("upload")
    return data


@editor_endpoint(as_json=True)
@require_POST
def editor_upload(request: HttpRequest) -> JsonResponse:
    """The editor's image button: a new file page from the image and what the dialog asked
    (alt text, credit, licence, caption), answered with the Markdown that shows it."""
    if refusal := upload_rate_refusal(request.user):
        return JsonResponse({"error": refusal}, status=429)
    uploaded = request.FILES.get("image")
    if uploaded is None:
        return _refuse("Choose an image to upload.")
    if refusal := size_refusal(uploaded.size):
        return _refuse(refusal)
    post = request.POST
    alt = " ".join(post.get("alt", "").split())[:300]
    credit = " ".join(post.get("credit", "").split())[:200]
    if not alt:
        return _refuse("Describe what the image shows (its alt text).")
    if not credit:
        return _refuse("Say who made the image (its author or credit).")
    source_url = post.get("source_url", "").strip()[:500]
    if source_url and not source_url.startswith(("https://", "http://")):
        return _refuse("The source is a web address starting with https://.")
    try:
        page = create_file_page(
            raw=uploaded.read(),
            author=request.user,
            title=post.get("title", "").strip()[:180] or _title_from_name(uploaded.name),
            alt_text=alt,
            caption=" ".join(post.get("caption", "").split())[:300],
            credit=credit,
            source_url=source_url,
            licence=post.get("licence", ""),
            rationale=post.get("rationale", "")[:2000],
        )
    except (UploadRefused, ValueError) as refusal:
        return _refuse(str(refusal))
    code = f"![{_markdown_text(alt)}](file:{page.slug})"
    return JsonResponse({"image_code": code, "file_url": page.get_absolute_url()})


def _title_from_name(name: str) -> str:
    stem = (name or "").rsplit(".", 1)[0].replace("_", " ").replace("-", " ")
    return " ".join(stem.split()) or "Image"


def _markdown_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _refuse(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_safe
def serve_image(request: HttpRequest, key: str, name: str) -> HttpResponse:
    """One of a stored image's files, cached for good (it never changes under its name).

    An image hidden by a moderator, or of a deleted file page, is gone for readers (410);
    moderators still get it, never from a shared cache."""
    stored = (
        StoredImage.objects.filter(key=key)
        .select_related("file_page")
        .only(
            "key", "format", "widths", "hidden_at", "file_page__deleted_at", "file_page__page_kind"
        )
    ).first()
    if stored is None or name not in stored.file_names():
        raise Http404("No such image.")
    gone = stored.is_hidden or (stored.file_page is not None and stored.file_page.is_deleted)
    moderator = gone and is_moderator(request.user)
    if gone and not moderator:
        return HttpResponse(
            "This image was removed by a moderator.",
            status=410,
            content_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )
    try:
        handle = default_storage.open(stored.storage_name(name), "rb")
    except FileNotFoundError as missing:
        raise Http404("No such image.") from missing
    extension = name.rsplit(".", 1)[1]
    response = FileResponse(handle, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'inline; filename="{key[:12]}-{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if moderator else IMAGE_CACHE
    # Images are never documents: nothing in them runs, even opened on their own.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _introduced(revisions: list[Revision]) -> set[int]:
    """The stored images these file page revisions uploaded (not carried over from before)."""
    if not revisions:
        return set()
    page_id = revisions[0].page_id
    numbers = {r.number for r in revisions} | {r.number - 1 for r in revisions}
    snapshots = dict(
        Revision.objects.filter(page_id=page_id, number__in=numbers).values_list(
            "number", "snapshot"
        )
    )
    introduced = set()
    for revision in revisions:
        upload = (snapshots.get(revision.number) or {}).get("upload")
        before = (snapshots.get(revision.number - 1) or {}).get("upload")
        if upload is not None and upload != before:
            introduced.add(upload)
    return introduced


def on_revisions_hidden(sender, page_id: int, revisions: list, hidden: bool, **kwargs) -> None:
    """Hiding the revision that uploaded an image hides the image wherever it is shown and
    stops serving it to readers; unhiding the last such revision brings it back."""
    if not FilePage._base_manager.filter(pk=page_id).exists():
        return
    uploads = _introduced(list(revisions))
    if not uploads:
        return
    with transaction.atomic():
        if hidden:
            StoredImage.objects.filter(pk__in=uploads, hidden_at__isnull=True).update(
                hidden_at=timezone.now()
            )
        else:
            still_hidden = _introduced(
                list(Revision.objects.filter(page_id=page_id, hidden_at__isnull=False))
            )
            StoredImage.objects.filter(pk__in=uploads - still_hidden).update(hidden_at=None)
        content_changed()


def connect() -> None:
    revisions_hidden.connect(on_revisions_hidden, dispatch_uid="files-hidden-images")
