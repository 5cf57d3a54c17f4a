"""Demo accounts for local development: one per role, from superuser to blocked."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from heatwiki.accounts.blocks import block_account
from heatwiki.accounts.models import Block

DEMO_ACCOUNTS = [
    # username, is_staff, is_superuser, groups, what the account shows
    ("admin", True, True, [], "superuser: everything"),
    ("moderator", True, False, ["Moderators"], "protects, hides, blocks, reverts in /admin/"),
    ("editor", False, False, [], "confirmed e-mail: edits, creates, reverts"),
    ("newcomer", False, False, [], "e-mail not confirmed yet: reads only"),
    ("blocked", False, False, [], "blocked from editing"),
]


class Command(BaseCommand):
    help = "Create or reset the demo accounts with fresh random passwords (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: set DJANGO_DEBUG=on.")
        User = get_user_model()
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for username, is_staff, is_superuser, groups, role in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            email = f"{username}@heatwiki.invalid"
            user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.filter(name__in=groups))
            EmailAddress.objects.update_or_create(
                user=user,
                email=user.email,
                defaults={"primary": True, "verified": username != "newcomer"},
            )
            self.stdout.write(f"  {username:<10} {password:<18} {role}")
        blocked = User.objects.get(username="blocked")
        if not Block.objects.active().filter(user=blocked).exists():
            block_account(
                user=blocked,
                moderator=User.objects.get(username="moderator"),
                reason="Demo: repeated vandalism of the coffee-shop scene",
                expires_at=timezone.now() + timedelta(days=7),
            )
