"""The Markdown editor's endpoints, mounted at /editor/ (used instead of markdownx.urls)."""

from django.urls import path

from heatwiki.wiki import editor

app_name = "editor"

urlpatterns = [
    path("preview/", editor.preview, name="preview"),
    path("upload/", editor.upload, name="upload"),
]
