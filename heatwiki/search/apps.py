from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "heatwiki.search"
    label = "search"
    verbose_name = "Search"
