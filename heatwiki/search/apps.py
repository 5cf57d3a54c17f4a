from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "heatwiki.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from heatwiki.wiki.signals import revision_committed

        from .index import index_committed_revision

        revision_committed.connect(index_committed_revision, dispatch_uid="search:index")
