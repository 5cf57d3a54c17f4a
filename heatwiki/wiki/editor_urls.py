"""The Markdown editor's endpoints, mounted at /editor/ (used instead of markdownx.urls)."""

from django.urls import path

from heatwiki.wiki import editor, files

app_name = "editor"

urlpatterns = [
    path("preview/", editor.preview, name="preview"),
    path("upload/", files.editor_upload, name="upload"),
]
