from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "heatwiki.works"
    label = "works"
