"""The Moderators group: staff who look after the wiki's content in the admin.

They may view, add and change every wiki model, and nothing of users, groups or permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WIKI_APPS = ["works", "news", "people", "scenes"]
ACTIONS = ["add", "change", "view"]


def create_moderators(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so the group
    # can hold them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    codenames = [
        f"{action}_{model._meta.model_name}"
        for label in WIKI_APPS
        for model in apps.get_app_config(label).get_models()
        for action in ACTIONS
    ]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=WIKI_APPS, codename__in=codenames)
    )


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("works", "0001_initial"),
        ("news", "0002_initial"),
        ("people", "0001_initial"),
        ("scenes", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
