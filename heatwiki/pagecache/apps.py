from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "heatwiki.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from . import invalidation

        invalidation.connect_signals()
