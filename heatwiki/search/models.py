"""The search index: one document per page, written by the revision service.

The table holds each page's searchable text in three parts, weighted in that order: its
title, its structured fields and relations, and its body. The database keeps the actual
index from it — on PostgreSQL a stored, GIN-indexed tsvector column (migration 0002), on
SQLite an FTS5 table kept in step by triggers — so a search never computes one per request.
"""

from django.db import models

from heatwiki.wiki.models import WikiPage


class SearchDocument(models.Model):
    page = models.OneToOneField(
        WikiPage, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.CharField(max_length=200)
    fields_text = models.TextField(blank=True)
    body_text = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title
