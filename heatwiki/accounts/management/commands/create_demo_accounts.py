"""Demo accounts for local development: a superuser, a moderator and an editor."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

DEMO_ACCOUNTS = [
    # username, is_staff, is_superuser, groups
    ("admin", True, True, []),
    ("moderator", True, False, ["Moderators"]),
    ("editor", False, False, []),
]


class Command(BaseCommand):
    help = "Create or reset the demo accounts with fresh random passwords (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: set DJANGO_DEBUG=on.")
        User = get_user_model()
        self.stdout.write("Demo accounts (passwords are new on every run):")
        for username, is_staff, is_superuser, groups in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@heatwiki.invalid"}
            )
            user.is_staff = is_staff
            user.is_superuser = is_superuser
            user.set_password(password)
            user.save()
            user.groups.set(Group.objects.filter(name__in=groups))
            self.stdout.write(f"  {username:<10} {password}")
