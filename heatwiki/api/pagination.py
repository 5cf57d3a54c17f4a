"""Cursor pagination: opaque ``cursor`` links that stay right while pages are added, with no
counting and no OFFSET into large tables. A cursor the API did not make leads nowhere: 404."""

from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination

# Larger numbers than any id or revision number are refused before they reach the database.
BIGINT_MAX = 2**63 - 1
INVALID_CURSOR = "This cursor is not one the API made: follow a next or previous link."


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    ordering = "id"
    cursor_query_description = "The cursor of a next or previous link; leave it out to start."
    page_size_query_description = "Results per page: 1 to 200 (default 50)."

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 200}
        return parameters

    def get_page_size(self, request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdecimal() or len(value) > 3 or not 1 <= int(value) <= self.max_page_size:
            raise ParseError(f"limit is a whole number from 1 to {self.max_page_size}.")
        return int(value)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise NotFound(INVALID_CURSOR) from None
        if cursor is not None and cursor.position is not None:
            # Every ordering here is by a whole number (an id, a revision number).
            position = str(cursor.position)
            digits = position.removeprefix("-")
            if not digits.isdecimal() or len(digits) > 19 or int(digits) > BIGINT_MAX:
                raise NotFound(INVALID_CURSOR)
        return cursor


class RevisionCursorPagination(ApiCursorPagination):
    ordering = "-number"


class NewestFirstPagination(ApiCursorPagination):
    ordering = "-id"
