from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "heatwiki.wiki"
    label = "wiki"
    verbose_name = "Wiki engine"

    def ready(self) -> None:
        from . import signals  # noqa: F401
