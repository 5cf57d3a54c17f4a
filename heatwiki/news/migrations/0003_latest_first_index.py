"""News in the order readers see it, with an index for that order on PostgreSQL.

SQLite cannot index NULLS LAST; its wikis are small enough to sort.
"""

from django.db import migrations
from django.db.models import F


def _on_postgresql(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("news", "0002_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="newsitem",
            options={
                "ordering": [F("published_on").desc(nulls_last=True), "-pk"],
                "verbose_name": "news item",
                "verbose_name_plural": "news",
            },
        ),
        migrations.RunPython(
            _on_postgresql(
                "CREATE INDEX news_latest_first ON news_newsitem "
                "(published_on DESC NULLS LAST, page_id DESC)"
            ),
            _on_postgresql("DROP INDEX IF EXISTS news_latest_first"),
        ),
    ]
