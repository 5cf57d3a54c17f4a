"""Moving the content generation on whenever something a reader can see has changed.

The write paths call :func:`content_changed` themselves (the revision service, protection,
hiding, blocks, relinking), and model signals catch every other write (the admin, a cascade)
to the models that apps declare with :func:`watch`. However many of those a transaction makes,
the generation moves on once, when it commits.
"""

import time

from django.apps import apps
from django.db import connection, connections, transaction
from django.db.models import F, Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .models import ContentGeneration

GENERATION_ID = 1
# A sign-in stamps last_login: nothing a reader sees.
QUIET_USER_FIELDS = {"last_login"}
# The models whose rows readers see on some page, as the apps that own them declare.
_watched: set[type[Model]] = set()
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
    generation's row lock until commit and serialise every write on the site. One bump per
    transaction, however many changes it makes.
    """
    if connection.in_atomic_block and any(func is bump for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(bump)


def _model_changed(sender: type[Model], instance: Model, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields and set(update_fields) <= QUIET_USER_FIELDS:
        return
    content_changed()


def _relation_changed(sender, instance: Model, action: str, **kwargs) -> None:
    # Data migrations' historical models are not the watched ones and change nothing yet:
    # the site is not serving.
    if action.startswith("post_") and type(instance) in _watched:
        content_changed()


def _migrated(using: str, **kwargs) -> None:
    # A deploy runs migrate: pages rendered by the previous release's templates go stale.
    if ContentGeneration._meta.db_table in connections[using].introspection.table_names():
        bump()


def watch(*models: type[Model]) -> None:
    """Readers see these models' rows: any save or delete of one makes every cached page old.

    Apps call it from ``ready()`` for their own models; rows that only the code that writes
    them changes (and that calls :func:`content_changed` itself) need not be watched.
    """
    for model in models:
        uid = f"pagecache:{model._meta.label_lower}"
        post_save.connect(_model_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_model_changed, sender=model, dispatch_uid=uid)
        _watched.add(model)


def connect_signals() -> None:
    m2m_changed.connect(_relation_changed, dispatch_uid="pagecache:m2m")
    post_migrate.connect(
        _migrated, sender=apps.get_app_config("pagecache"), dispatch_uid="pagecache:migrate"
    )
