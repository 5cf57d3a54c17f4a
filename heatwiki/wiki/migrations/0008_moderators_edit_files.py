"""Moderators look after file pages in the admin as they do every other kind's pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_filepage", "change_filepage", "view_storedimage"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations run; make these now so the group
    # can hold them on a fresh database.
    wiki = apps.get_app_config("wiki")
    wiki.models_module = True
    create_permissions(wiki, apps=apps, verbosity=0)
    wiki.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="wiki", codename__in=CODENAMES)
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0007_file_pages"),
        ("accounts", "0005_moderation_actions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
