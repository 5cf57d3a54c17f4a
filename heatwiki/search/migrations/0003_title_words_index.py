"""PostgreSQL: a GIN index on the words of titles alone.

Ranking takes every page whose title matches the query, then a bounded number of the others;
finding those titles must not read every title (heatwiki.search.query). SQLite's FTS5 table
already indexes the title column on its own.
"""

from django.db import migrations


def _on_postgresql(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [
        migrations.RunPython(
            _on_postgresql(
                "CREATE INDEX search_document_title_words ON search_searchdocument "
                "USING gin (to_tsvector('english'::regconfig, coalesce(title, '')))"
            ),
            _on_postgresql("DROP INDEX IF EXISTS search_document_title_words"),
        )
    ]
