from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "heatwiki.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from heatwiki.wiki.signals import page_deleted, page_undeleted, revision_committed

        from .index import drop_deleted_page, index_committed_revision, index_undeleted_page

        revision_committed.connect(index_committed_revision, dispatch_uid="search:index")
        page_deleted.connect(drop_deleted_page, dispatch_uid="search:drop")
        page_undeleted.connect(index_undeleted_page, dispatch_uid="search:undelete")
