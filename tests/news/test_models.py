import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def test_claim_status_is_enumerated():
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsItemFactory(claim_status="gossip")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "data:text/html,x"])
def test_source_url_must_be_http_or_https(url):
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsItemFactory(source_url=url)
    with pytest.raises(ValidationError):
        NewsItemFactory.build(source_url=url).full_clean()


def test_undated_news_sorts_after_dated_news():
    undated = NewsItemFactory(published_on=None)
    dated = NewsItemFactory(published_on="2026-01-02")
    items = list(type(undated).objects.all())
    assert items.index(dated) < items.index(undated)
