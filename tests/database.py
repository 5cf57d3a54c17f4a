"""What the migrations put in the database besides tables, made again after a flush."""

from importlib import import_module

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from heatwiki.accounts.models import MODERATORS_GROUP

# The migrations that make the Moderators group and give it its permissions.
MODERATORS_MIGRATIONS = [
    ("accounts", "0001_moderators_group", "create_moderators"),
    ("accounts", "0003_moderators_moderate", "grant"),
    ("wiki", "0004_moderate_permission", "grant"),
    ("wiki", "0008_moderators_edit_files", "grant"),
]


def moderators_group() -> Group:
    """The Moderators group, with the permissions the migrations give it.

    A transactional test ends by emptying every table; content types and permissions come
    back (post_migrate), but the group, made by a data migration, does not. So a test that
    runs after a transactional one finds no group: make it again with the migrations' own
    code, on the models as they were at each migration."""
    if not Group.objects.filter(name=MODERATORS_GROUP).exists():
        loader = MigrationLoader(connection)
        for app, name, function in MODERATORS_MIGRATIONS:
            state = loader.project_state((app, name), at_end=True)
            migration = import_module(f"heatwiki.{app}.migrations.{name}")
            getattr(migration, function)(state.apps, None)
    return Group.objects.get(name=MODERATORS_GROUP)
