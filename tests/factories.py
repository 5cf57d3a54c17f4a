import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from heatwiki.news.models import NewsItem
from heatwiki.wiki.images import store_upload
from heatwiki.wiki.models import FilePage
from heatwiki.wiki.services import record_revision, system_account
from heatwiki.works.models import Work
from people.models import Character, Credit, Person
from scenes.models import Location, Quote, Scene
from tests.images import png_bytes


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def email_address(user, create, extracted, **kwargs):
        # Editing needs a confirmed e-mail address: UserFactory(email_address__verified=False)
        # makes an account that has not confirmed it yet.
        if create and user.email:
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"primary": True, "verified": kwargs.get("verified", True)},
            )


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Test page {n}")
    slug = factory.Sequence(lambda n: f"test-page-{n}")
    description = "A page made by the tests."
    body = "Some *Markdown* body."

    @factory.post_generation
    def revision(page, create, extracted, **kwargs):
        # Pages only get their rendered body and revision 1 from the revision service.
        if create:
            record_revision(page=page, author=system_account(), summary="Made by the tests")
            page.refresh_from_db()


class WorkFactory(PageFactory):
    class Meta:
        model = Work

    kind = Work.Kind.FILM
    year = 1995


class LocationFactory(PageFactory):
    class Meta:
        model = Location

    city = "Los Angeles"


class PersonFactory(PageFactory):
    class Meta:
        model = Person


class CharacterFactory(PageFactory):
    class Meta:
        model = Character


class SceneFactory(PageFactory):
    class Meta:
        model = Scene

    work = factory.SubFactory(WorkFactory)
    position = factory.Sequence(lambda n: n + 1)


class FilePageFactory(PageFactory):
    class Meta:
        model = FilePage

    upload = factory.LazyFunction(lambda: store_upload(png_bytes((400, 300))))
    alt_text = "A test image"
    credit = "The HeatWiki tests"
    licence = FilePage.Licence.CC0


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    scene = factory.SubFactory(SceneFactory)
    text = "A line from the scene."


class NewsItemFactory(PageFactory):
    class Meta:
        model = NewsItem

    source_name = "The Test Gazette"


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    person = factory.SubFactory(PersonFactory)
    work = factory.SubFactory(WorkFactory)
    job = Credit.Job.ACTOR
    character = factory.SubFactory(CharacterFactory)
