"""Inserting many rows fast: COPY on PostgreSQL, executemany on SQLite.

Django's bulk_create refuses multi-table children such as page kinds, and row-by-row saves
would take hours for a million revisions. Values are plain Python: str, int, bool, None,
Decimal, date, datetime and timedelta; JSON columns take their text (``json.dumps``).
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils.duration import duration_microseconds

SQLITE_BATCH = 2_000


def _sqlite_value(value: Any) -> Any:
    """A value as Django's SQLite backend stores it (it has no native dates or decimals)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_microseconds(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; return how many."""
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The psycopg 3 cursor under Django's wrapper: COPY streams rows without a
            # statement per row, which is what makes a million revisions take minutes.
            with cursor.cursor.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})"
        rows = iter(rows)
        while batch := list(islice(rows, SQLITE_BATCH)):
            cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])
            count += len(batch)
    return count


def next_id(model: type[models.Model]) -> int:
    """The first id after every existing row: ids written explicitly start here."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
        return cursor.fetchone()[0] + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    """Move PostgreSQL's id sequences past explicitly written ids (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
