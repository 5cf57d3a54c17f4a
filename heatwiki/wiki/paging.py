"""Paging through revisions without counting them or skipping over them.

Django's Paginator counts every row (``COUNT(*)``) to number the pages, and reaches page n by
skipping rows with OFFSET. With a million revisions the count alone takes a tenth of a second
on every view of recent changes; in a history of thousands of revisions the last page skips
over all the others. These paginators avoid both and keep Paginator's interface, so the
templates and ``page_obj`` work as before.
"""

from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet

from heatwiki.edge.inputs import PAGE_NUMBER_MAX, bounded_int


class HistoryPaginator(Paginator):
    """A page's revisions, newest first, paged by revision number.

    Revisions are numbered 1, 2, 3 … per page with no gaps (they are append-only), so the
    count is the latest number and page k starts at number ``latest − (k − 1) × per_page``:
    found through the (page, number) index whatever the page, instead of by OFFSET.
    """

    def __init__(self, revisions: QuerySet, per_page: int, latest: int) -> None:
        super().__init__(revisions.order_by("-number"), per_page)
        self.latest = latest

    @cached_property
    def count(self) -> int:
        return self.latest

    def page(self, number) -> Page:
        number = self.validate_number(number)
        top = self.latest - (number - 1) * self.per_page
        rows = list(self.object_list.filter(number__lte=top)[: self.per_page])
        return self._get_page(rows, number, self)


class UncountedPage(Page):
    """A page that knows whether another follows, not how many do."""

    def __init__(self, object_list, number: int, paginator, has_next: bool) -> None:
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class UncountedPaginator(Paginator):
    """Pages of ``per_page`` rows that fetch one row more instead of counting all of them.

    ``count`` and ``num_pages`` are None: templates say "Page 3", not "Page 3 of 20,000".
    """

    count = None
    num_pages = None

    def validate_number(self, number) -> int:
        # Bounded, so that the offset it becomes fits the database's integers.
        try:
            return bounded_int(number, 1, PAGE_NUMBER_MAX // self.per_page, what="page number")
        except ValueError as error:
            raise InvalidPage(str(error)) from None

    def page(self, number) -> UncountedPage:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:
            raise InvalidPage("That page contains no results")
        return UncountedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def get_page(self, number) -> UncountedPage:
        """Like Paginator.get_page: the first page for a bad number, for one past the end."""
        try:
            return self.page(number)
        except InvalidPage:
            return self.page(1)

    @property
    def page_range(self):
        raise NotImplementedError("An uncounted paginator does not know how many pages it has.")
