"""Sessions in the database, read in plain SQL (``SESSION_ENGINE`` without Redis).

Every signed-in page view reads its session first; building the ORM's query for that one row
cost more than the rest of a page served from a frame (heatwiki.pagecache.frames). Writing,
expiry and clearing are Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self._validate_session_key(self.session_key):
            self._session_key = None
            return None
        table = connection.ops.quote_name(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table}"
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
