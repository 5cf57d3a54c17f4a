"""The account pages (django-allauth in the site's layout), user pages and the demo accounts."""

import re
from datetime import datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heatwiki.accounts.models import Block
from heatwiki.wiki.permissions import edit_refusal, is_moderator
from heatwiki.wiki.services import save_page
from scenes.models import Scene
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a fresh passphrase, 2099"
SITE_HEADER = '<header class="site-header">'


def html(response) -> str:
    return response.content.decode()


def in_site_layout(response) -> bool:
    page = html(response)
    return SITE_HEADER in page and 'class="site-footer"' in page and "· HeatWiki</title>" in page


def labelled_inputs(page: str) -> list[str]:
    """Ids of visible inputs that have no <label for=…>."""
    ids = re.findall(r'<input(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', page)
    labels = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    return [field_id for field_id in ids if field_id not in labels]


def link_in(message: mail.EmailMessage) -> str:
    return re.search(r"http://testserver(/\S+)", message.body)[1]


@pytest.fixture
def scene() -> Scene:
    return Scene.objects.get(slug="coffee-shop-stand-off")


# Every account page in the site's layout, with labelled fields ----------------------------------


ANONYMOUS_PAGES = ["account_signup", "account_login", "account_reset_password"]
SIGNED_IN_PAGES = ["account_change_password", "account_email", "account_logout", "api-tokens"]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_the_entrance_pages_are_in_the_site_layout_with_labelled_fields(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert in_site_layout(response)
    assert labelled_inputs(html(response)) == []
    assert '<form class="edit-form" method="post"' in html(response)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_the_account_pages_are_in_the_site_layout_with_labelled_fields(client, editor, name):
    client.force_login(editor)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert in_site_layout(response)
    assert labelled_inputs(html(response)) == []


@pytest.mark.parametrize("name", ["account_change_password", "account_email", "api-tokens"])
def test_the_account_pages_link_to_each_other(client, editor, name):
    """The e-mail page, where a newcomer asks for a new confirmation link, is one click away."""
    client.force_login(editor)
    page = html(client.get(reverse(name)))
    nav = re.search(r'<nav class="page-tabs" aria-label="Your account">.*?</nav>', page, re.S)[0]
    assert f'href="{reverse("account_email")}"' in nav
    assert f'href="{reverse("account_change_password")}"' in nav
    assert f'href="{reverse("wiki:contributions", args=["fan"])}"' in nav
    assert f'href="{reverse(name)}" aria-current="page"' in nav


def test_the_sign_up_form_shows_its_errors_next_to_the_fields(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "x y", "email": "not-an-address", "password1": "a", "password2": "b"},
    )
    assert response.status_code == 200
    assert in_site_layout(response)
    page = html(response)
    assert "Enter a valid email address." in page
    assert 'aria-invalid="true"' in page


# Sign-up and e-mail confirmation ----------------------------------------------------------------


def test_sign_up_confirm_the_address_then_edit(client, scene):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert SITE_HEADER in html(response)

    response = client.post(
        reverse("account_signup"),
        {
            "username": "newfan",
            "email": "newfan@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    # The answer an address that already has an account gets too: "confirm your address".
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not response.wsgi_request.user.is_authenticated
    user = User.objects.get(username="newfan")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("newfan@example.com", False, True)
    # The e-mail: to the new address, from HeatWiki, with the confirmation link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newfan@example.com"]
    assert message.subject.startswith("[HeatWiki] ")
    assert "Hello from HeatWiki!" in message.body
    link = link_in(message)
    assert link.startswith("/accounts/confirm-email/")

    # Signing in before confirming is allowed, but not editing.
    client.post(reverse("account_login"), {"login": "newfan", "password": PASSWORD})
    response = client.get(scene.kind_url("edit"))
    assert response.status_code == 403
    assert "Confirm your e-mail address before you edit" in html(response)

    # The link shows a page asking to confirm; it takes a POST (a GET confirms nothing).
    response = client.get(link)
    assert response.status_code == 200
    assert in_site_layout(response)
    assert "newfan@example.com" in html(response)
    # The key is signed with the time it is made, so the form's own may differ by a second.
    assert 'action="/accounts/confirm-email/' in html(response)
    assert not EmailAddress.objects.get(user=user).verified

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(scene.kind_url("edit")).status_code == 200


def test_a_wrong_confirmation_link_confirms_nothing(client):
    factories.UserFactory(username="newfan", email_address__verified=False)
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "This confirmation link has expired or is wrong." in html(response)
    assert in_site_layout(response)
    assert not EmailAddress.objects.get(user__username="newfan").verified


def test_a_taken_username_is_refused_and_a_taken_address_not_told(client, editor):
    """Usernames are public (contributions pages); whose address is whose is not: see
    tests/security/test_signup_enumeration.py."""
    response = client.post(
        reverse("account_signup"),
        {
            "username": "fan",
            "email": "FAN@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "username" in errors and "email" not in errors
    assert User.objects.filter(username="fan").count() == 1


@pytest.mark.parametrize("reserved", ["heatwiki", "admin", "moderator"])
def test_reserved_usernames_cannot_be_taken(client, reserved):
    response = client.post(
        reverse("account_signup"),
        {
            "username": reserved,
            "email": "someone@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


# Signing in and out -----------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["fan", "fan@example.com", "FAN", "Fan@Example.com"])
def test_sign_in_by_username_or_email(client, editor, login):
    response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == editor


def test_a_wrong_password_is_refused_in_the_layout(client, editor):
    response = client.post(reverse("account_login"), {"login": "fan", "password": "nope"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "The username and/or password you specified are not correct." in html(response)
    assert in_site_layout(response)


def test_sign_in_returns_to_the_page_it_came_from(client, editor, scene):
    response = client.get(scene.kind_url("edit"))
    assert response.status_code == 302
    sign_in_url = response["Location"]
    assert sign_in_url.startswith(reverse("account_login") + "?next=")

    response = client.post(sign_in_url, {"login": "fan", "password": PASSWORD})

    assert response["Location"] == scene.kind_url("edit")


def test_sign_in_does_not_follow_a_next_to_another_site(client, editor):
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/",
        {"login": "fan", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_sign_out_by_get_only_asks_to_confirm(client, editor):
    client.force_login(editor)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert in_site_layout(response)
    assert 'method="post"' in html(response)
    assert "Sign out of HeatWiki on this device?" in html(response)
    assert client.get(reverse("home")).wsgi_request.user == editor


def test_sign_out_by_post_signs_out(client, editor):
    client.force_login(editor)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_every_page_has_a_sign_out_form_not_a_link(client, editor):
    client.force_login(editor)
    page = html(client.get(reverse("home")))
    assert f'<form method="post" action="{reverse("account_logout")}">' in page
    assert f'<a href="{reverse("account_logout")}"' not in page


# Passwords --------------------------------------------------------------------------------------


def test_password_change(client, editor):
    client.force_login(editor)
    url = reverse("account_change_password")

    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).wsgi_request.user == editor  # still signed in


def test_password_change_needs_the_current_password(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


def test_password_change_is_for_signed_in_accounts(client):
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_reset_by_email(client, editor):
    response = client.post(reverse("account_reset_password"), {"email": "fan@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    done = client.get(response["Location"])
    assert done.status_code == 200 and in_site_layout(done)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fan@example.com"]
    assert "Hello from HeatWiki!" in message.body
    # The link leads to a form for the new password, in the site layout.
    form_url = client.get(link_in(message))["Location"]
    form = client.get(form_url)
    assert form.status_code == 200 and in_site_layout(form)
    assert labelled_inputs(html(form)) == []

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_no_reset_link(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "stranger@example.com"})
    # The same answer as for a known address: the page does not tell who has an account.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox)


# A user's page ----------------------------------------------------------------------------------


def test_the_user_page_shows_join_date_edit_count_and_contributions(client, editor, scene):
    User.objects.filter(pk=editor.pk).update(
        date_joined=timezone.make_aware(datetime(2021, 3, 14, 12, 0))
    )
    save_page(page=scene, data={"body": "First."}, author=editor, summary="First edit")
    save_page(page=Scene.objects.get(pk=scene.pk), data={"body": "Two."}, author=editor)

    response = client.get(reverse("wiki:contributions", args=["fan"]))

    assert response.status_code == 200
    page = html(response)
    assert "<h1>fan</h1>" in page
    assert "Joined 14 March 2021 · 2 edits" in page
    assert page.count(f'href="{scene.get_absolute_url()}"') == 2
    assert "First edit" in page


def test_a_user_without_edits_has_a_page_too(client, editor):
    page = html(client.get(reverse("wiki:contributions", args=["fan"])))
    assert "0 edits" in page
    assert "No changes to show." in page


def test_an_unknown_user_page_is_a_404(client, db):
    assert client.get(reverse("wiki:contributions", args=["nobody-here"])).status_code == 404


def test_the_header_links_to_the_users_page_and_account(client, editor):
    client.force_login(editor)
    page = html(client.get(reverse("home")))
    assert f'href="{reverse("wiki:contributions", args=["fan"])}">fan</a>' in page
    assert f'href="{reverse("account_email")}">Account</a>' in page


# Demo accounts ----------------------------------------------------------------------------------


def demo_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+(\S+)\s", output, re.M))


def run_demo(capsys) -> dict[str, str]:
    call_command("create_demo_accounts")
    return demo_passwords(capsys.readouterr().out)


def test_demo_accounts_have_their_roles(settings, capsys):
    settings.DEBUG = True

    passwords = run_demo(capsys)

    assert set(passwords) == {"admin", "moderator", "editor", "newcomer", "blocked"}
    users = {user.username: user for user in User.objects.filter(username__in=passwords)}
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert is_moderator(users["admin"])
    assert users["moderator"].is_staff and not users["moderator"].is_superuser
    assert list(users["moderator"].groups.values_list("name", flat=True)) == ["Moderators"]
    assert is_moderator(users["moderator"])
    for name in ("editor", "newcomer", "blocked"):
        assert not users[name].is_staff and not is_moderator(users[name]), name
    verified = dict(
        EmailAddress.objects.filter(user__in=users.values()).values_list(
            "user__username", "verified"
        )
    )
    assert verified == {
        "admin": True,
        "moderator": True,
        "editor": True,
        "newcomer": False,
        "blocked": True,
    }
    assert edit_refusal(users["editor"]) is None
    assert edit_refusal(users["newcomer"]).startswith("Confirm your e-mail address")
    block = Block.objects.active().get(user=users["blocked"])
    assert block.blocked_by == users["moderator"]
    assert timedelta(days=6) < block.expires_at - timezone.now() <= timedelta(days=7)
    assert edit_refusal(users["blocked"]).startswith("Your account is blocked from editing until")


def test_demo_accounts_sign_in_with_the_printed_passwords(settings, capsys, scene):
    settings.DEBUG = True
    passwords = run_demo(capsys)

    for username, password in passwords.items():
        client = Client()
        response = client.post(reverse("account_login"), {"login": username, "password": password})
        assert response.status_code == 302, username
        edit_status = client.get(scene.kind_url("edit")).status_code
        assert edit_status == (200 if username in {"admin", "moderator", "editor"} else 403)
    admin = Client()
    admin.force_login(User.objects.get(username="moderator"))
    assert admin.get(reverse("admin:index")).status_code == 200


def test_running_the_demo_command_again_resets_passwords_and_keeps_one_block(settings, capsys):
    settings.DEBUG = True
    first = run_demo(capsys)
    second = run_demo(capsys)

    assert all(first[name] != second[name] for name in first)
    assert User.objects.get(username="editor").check_password(second["editor"])
    assert Block.objects.active().filter(user__username="blocked").count() == 1
    assert User.objects.filter(username__in=list(first)).count() == 5


def test_the_demo_command_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_accounts")

    assert not User.objects.filter(username__in=["moderator", "newcomer", "blocked"]).exists()


# Every account page a fan can reach, in the site's layout with plain labels ---------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "signed_in"),
    [
        ("account_login", {}, False),
        ("account_signup", {}, False),
        ("account_reset_password", {}, False),
        ("account_reset_password_done", {}, False),
        ("account_reset_password_from_key", {"uidb36": "zz", "key": "no-such-key"}, False),
        ("account_reset_password_from_key_done", {}, False),
        ("account_email_verification_sent", {}, False),
        ("account_confirm_email", {"key": "no-such-key"}, False),
        ("account_email", {}, True),
        ("account_change_password", {}, True),
        ("account_logout", {}, True),
    ],
)
def test_every_account_page_uses_the_site_layout_and_plain_words(
    client, editor, name, kwargs, signed_in
):
    if signed_in:
        client.force_login(editor)
    response = client.get(reverse(name, kwargs=kwargs), follow=True)
    assert response.status_code == 200
    assert in_site_layout(response)
    page = html(response)
    main = page[page.index("<main") : page.index("</main>")]
    labels = re.findall(r"<label[^>]*>\s*([^<]*?)\s*<", main)
    assert [label for label in labels if label.endswith(":")] == []
    # Sentence case, as the rest of the site: no "Sign In", "Email Addresses".
    headings = re.findall(r"<h1[^>]*>\s*(.*?)\s*</h1>", main, re.S)
    assert headings and all(h[1:] == h[1:].lower() or "HeatWiki" in h for h in headings), headings
    assert "Email" not in main
