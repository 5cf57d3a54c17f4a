from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "heatwiki.wiki"
    label = "wiki"
    verbose_name = "Wiki engine"
