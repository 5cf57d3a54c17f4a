"""The Markdown editor's server side: live preview, image upload and the widget that uses them.

django-markdownx's own views are open to anonymous visitors and trust the client's content
type, so HeatWiki does not mount ``markdownx.urls``. These views require an editor (and a CSRF
token, enforced by the middleware), render previews through the one sanitising pipeline, and
accept only PNG and JPEG images, which are decoded and re-encoded before anything is stored
(``heatwiki.wiki.images``). The upload endpoint itself is ``files.editor_upload``: an image
uploaded in the editor becomes a file page, with its alt text, credit and licence.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.http import require_POST
from markdownx.widgets import MarkdownxWidget

from heatwiki.wiki.embeds import expand_embeds
from heatwiki.wiki.images import UPLOAD_MAX_BYTES
from heatwiki.wiki.layers import body_problems
from heatwiki.wiki.limits import body_size_error
from heatwiki.wiki.markdown import render_markdown
from heatwiki.wiki.permissions import editor_endpoint, is_moderator


@editor_endpoint(as_json=False)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """Markdown in, sanitised HTML out: exactly what the page will show once saved, images
    of file pages included."""
    text = request.POST.get("content", "")
    if message := body_size_error(text):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    html = expand_embeds(render_markdown(text), moderator=is_moderator(request.user))
    if problems := body_problems(text):
        # Said above the preview, which still shows the text as it would be saved.
        items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
        html = f'<div class="preview-problems" role="alert"><ul>{items}</ul></div>\n{html}'
    return HttpResponse(html, content_type="text/html; charset=utf-8")


class EditorWidget(MarkdownxWidget):
    """The markdownx editor, posting to HeatWiki's own locked-down preview and upload views."""

    def render(self, name, value, attrs=None, renderer=None):
        # The parent updates ``attrs`` in place and fails when it is None.
        return super().render(name, value, dict(attrs or {}), renderer)

    @staticmethod
    def add_markdownx_attrs(attrs):
        attrs = MarkdownxWidget.add_markdownx_attrs(dict(attrs or {}))
        attrs["data-markdownx-urls-path"] = reverse("editor:preview")
        attrs["data-markdownx-upload-urls-path"] = reverse("editor:upload")
        attrs["data-upload-max-bytes"] = str(UPLOAD_MAX_BYTES)
        return attrs
