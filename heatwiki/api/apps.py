from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "heatwiki.api"
    label = "api"
    verbose_name = "Read API"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from heatwiki.wiki.models import WikiPage
        from heatwiki.wiki.signals import (
            page_deleted,
            page_undeleted,
            revision_committed,
            revisions_hidden,
        )

        from . import feed

        revision_committed.connect(feed.record_revision, dispatch_uid="api:feed-revision")
        revisions_hidden.connect(feed.record_hiding, dispatch_uid="api:feed-hiding")
        post_delete.connect(feed.record_deletion, sender=WikiPage, dispatch_uid="api:feed-delete")
        page_deleted.connect(feed.record_soft_deletion, dispatch_uid="api:feed-soft-delete")
        page_undeleted.connect(feed.record_undeletion, dispatch_uid="api:feed-undelete")
