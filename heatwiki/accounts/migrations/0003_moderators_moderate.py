"""Moderators' powers over revisions, blocks and the rows pages own.

They browse and hide revisions, block accounts, read the moderation log, and may delete a
person's credits and a scene's quotes (each such change is a revision of the page).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "wiki": ["view_revision", "change_revision"],
    "accounts": ["add_block", "change_block", "view_block", "view_moderationlog"],
    "people": ["delete_credit"],
    "scenes": ["delete_quote"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codenames in GRANTS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Moderators"):
        for app_label, codenames in GRANTS.items():
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_blocks_and_moderation_log"),
        ("wiki", "0002_protection_and_hidden_revisions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
