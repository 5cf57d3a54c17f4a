import pytest
from django.db import IntegrityError, transaction

from people.models import Credit
from tests.factories import CharacterFactory, CreditFactory, PersonFactory, WorkFactory

pytestmark = pytest.mark.django_db


def rejected(**fields) -> bool:
    try:
        with transaction.atomic():
            CreditFactory(**fields)
    except IntegrityError:
        return True
    return False


def test_one_credit_per_person_work_job_and_character():
    credit = CreditFactory()
    same = {"person": credit.person, "work": credit.work, "character": credit.character}
    assert rejected(**same)
    assert not rejected(**{**same, "character": CharacterFactory()})


def test_one_crew_credit_per_person_work_and_job():
    person, work = PersonFactory(), WorkFactory()
    CreditFactory(person=person, work=work, job=Credit.Job.DIRECTOR, character=None)
    assert rejected(person=person, work=work, job=Credit.Job.DIRECTOR, character=None)
    assert not rejected(person=person, work=work, job=Credit.Job.WRITER, character=None)


def test_actors_need_a_character_and_crew_have_none():
    assert rejected(job=Credit.Job.ACTOR, character=None)
    assert rejected(job=Credit.Job.DIRECTOR)


def test_only_roles_being_cast_may_have_no_person():
    assert rejected(person=None, status=Credit.Status.CONFIRMED)
    assert rejected(status=Credit.Status.CASTING)
    assert not rejected(person=None, status=Credit.Status.CASTING)


def test_a_role_is_listed_as_being_cast_once():
    work, character = WorkFactory(), CharacterFactory()
    CreditFactory(person=None, work=work, character=character, status=Credit.Status.CASTING)
    assert rejected(person=None, work=work, character=character, status=Credit.Status.CASTING)


@pytest.mark.parametrize("field", ["status", "job"])
def test_enumerated_fields_reject_unknown_values(field):
    assert rejected(**{field: "made-up"})


def test_credit_source_url_must_be_web():
    assert rejected(source_url="javascript:alert(1)")
    assert not rejected(source_url="https://example.com/report")
