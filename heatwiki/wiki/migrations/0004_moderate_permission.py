"""Moderation as a permission: ``wiki.moderate``, granted to the Moderators group.

The site and the admin ask ``user.has_perm("wiki.moderate")`` rather than the group's name.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations run; make this one now so the group
    # can hold it on a fresh database.
    wiki = apps.get_app_config("wiki")
    wiki.models_module = True
    create_permissions(wiki, apps=apps, verbosity=0)
    wiki.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderate = Permission.objects.get(content_type__app_label="wiki", codename="moderate")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.add(moderate)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="wiki", codename="moderate").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0003_revision_indexes_for_scale"),
        ("accounts", "0003_moderators_moderate"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="wikipage",
            options={
                "ordering": ["title"],
                "permissions": [
                    (
                        "moderate",
                        "Can moderate: edit protected pages, protect, hide revisions, revert",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
