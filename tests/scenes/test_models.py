from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import LocationFactory, SceneFactory, WorkFactory

pytestmark = pytest.mark.django_db


def rejected(factory, **fields) -> bool:
    """True when the database refuses the row."""
    try:
        with transaction.atomic():
            factory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("90.00001", "0"), ("-90.5", "0"), ("0", "180.5"), ("0", "-181")],
)
def test_coordinates_out_of_range_are_rejected(latitude, longitude):
    assert rejected(LocationFactory, latitude=Decimal(latitude), longitude=Decimal(longitude))


def test_coordinates_at_the_limits_are_accepted():
    assert not rejected(LocationFactory, latitude=Decimal("-90"), longitude=Decimal("180"))


def test_latitude_without_longitude_is_rejected():
    assert rejected(LocationFactory, latitude=Decimal("34.05"), longitude=None)


def test_location_form_validation_explains_the_range():
    location = LocationFactory.build(latitude=Decimal("95"), longitude=Decimal("0"))
    with pytest.raises(ValidationError, match="Latitude lies between -90 and 90"):
        location.full_clean()


def test_end_timecode_must_come_after_start():
    start = timedelta(minutes=10)
    assert rejected(SceneFactory, start_timecode=start, end_timecode=start)
    assert rejected(SceneFactory, start_timecode=start, end_timecode=timedelta(minutes=9))
    assert not rejected(SceneFactory, start_timecode=start, end_timecode=timedelta(minutes=12))


def test_a_timecode_alone_is_allowed():
    assert not rejected(SceneFactory, start_timecode=timedelta(minutes=3), end_timecode=None)


def test_two_scenes_cannot_share_a_place_in_a_work():
    work = WorkFactory()
    SceneFactory(work=work, position=4)
    assert rejected(SceneFactory, work=work, position=4)
    assert not rejected(SceneFactory, work=WorkFactory(), position=4)


def test_scene_position_starts_at_one():
    assert rejected(SceneFactory, position=0)


def test_slugs_are_unique_per_kind():
    SceneFactory(slug="the-heist")
    assert rejected(SceneFactory, slug="the-heist")
    assert not rejected(LocationFactory, slug="the-heist")


def test_body_is_rendered_to_html_by_the_revision_service():
    scene = SceneFactory(body="A **tense** meeting.")
    assert scene.body_html == "<p>A <strong>tense</strong> meeting.</p>\n"
    assert scene.current_revision.body_html == scene.body_html


def test_get_absolute_url():
    assert SceneFactory(slug="x-y").get_absolute_url() == "/scenes/x-y/"
    assert LocationFactory(slug="lax-2").get_absolute_url() == "/locations/lax-2/"
