from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "heatwiki.news"
    label = "news"
