import pytest
from django.db import IntegrityError, transaction

from heatwiki.works.models import Work
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields", [{"kind": "play"}, {"status": "lost"}, {"year": 1700}, {"year": 3000}]
)
def test_bad_work_fields_are_rejected(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkFactory(**fields)


def test_in_production_lists_unfinished_works():
    finished = WorkFactory(status=Work.Status.RELEASED)
    shooting = WorkFactory(status=Work.Status.IN_PRODUCTION, year=None)
    works = set(Work.objects.in_production())
    assert shooting in works
    assert finished not in works


def test_unreleased_works_sort_last():
    WorkFactory(title="AAA unreleased", year=None)
    years = [work.year for work in Work.objects.all()]
    first_unreleased = years.index(None)
    assert all(year is None for year in years[first_unreleased:])
    assert all(year is not None for year in years[:first_unreleased])
