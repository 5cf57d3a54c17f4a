"""Moving the content generation on whenever something a reader can see has changed.

The write paths call :func:`content_changed` themselves (the revision service, protection,
hiding, blocks, relinking), and model signals catch every other write (the admin, a cascade).
"""

import time

from django.apps import apps
from django.db import connection, connections, transaction
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .models import ContentGeneration

GENERATION_ID = 1
# Apps whose rows readers see on some page (pages, relations, revisions, authors, blocks).
CONTENT_APPS = {"wiki", "works", "news", "scenes", "people", "accounts", "auth"}
# Rows derived from a revision that the revision service writes alongside it (it bumps once
# for all of them), or that no reader sees. Signals on them would only cost: a model with
# delete signals can no longer be deleted in bulk.
NOT_CONTENT = {
    "wiki.pagelink",
    "accounts.moderationlog",
    "accounts.cacheentry",
    "accounts.ratecounter",
    "auth.permission",
    "auth.group",
}
# A sign-in stamps last_login: nothing a reader sees.
QUIET_USER_FIELDS = {"last_login"}
_READ_GENERATION = (
    f"SELECT value FROM {connection.ops.quote_name(ContentGeneration._meta.db_table)} WHERE id = %s"
)


def current_generation() -> int | None:
    """The generation now, or None when there is none (a freshly emptied database).

    Read on every anonymous page view, so in plain SQL: building the ORM query costs ten times
    what the database does to answer it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_READ_GENERATION, [GENERATION_ID])
        row = cursor.fetchone()
    return row[0] if row else None


def bump() -> None:
    moved = ContentGeneration.objects.filter(pk=GENERATION_ID).update(value=F("value") + 1)
    if not moved:
        # Started from the clock, so a database emptied and refilled never meets pages cached
        # under its old numbers.
        ContentGeneration.objects.get_or_create(
            pk=GENERATION_ID, defaults={"value": time.time_ns() // 1000}
        )


def content_changed() -> None:
    """Readers' pages are out of date once the current transaction commits.

    After the commit, not before: a reader rendering meanwhile still sees the old rows, and the
    page it caches must not outlive them. Bumping inside the transaction would also hold the
    generation's row lock until commit and serialise every write on the site.
    """
    transaction.on_commit(bump)


def _model_changed(sender: type[Model], instance: Model, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= QUIET_USER_FIELDS:
        return
    content_changed()


def _relation_changed(sender, instance: Model, action: str, **kwargs) -> None:
    meta = instance._meta
    # Groups and permissions are not shown to readers. Data migrations' historical models are
    # not the registered ones and change nothing yet: the site is not serving.
    if (
        action.startswith("post_")
        and meta.app_label in CONTENT_APPS - {"auth"}
        and apps.get_model(meta.label) is type(instance)
    ):
        content_changed()


def _migrated(using: str, **kwargs) -> None:
    # A deploy runs migrate: pages rendered by the previous release's templates go stale.
    if ContentGeneration._meta.db_table in connections[using].introspection.table_names():
        bump()


def connect_signals() -> None:
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in CONTENT_APPS and meta.label_lower not in NOT_CONTENT:
            uid = f"pagecache:{meta.label_lower}"
            post_save.connect(_model_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_model_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_relation_changed, dispatch_uid="pagecache:m2m")
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("pagecache"), dispatch_uid="pagecache:migrate"
    )
