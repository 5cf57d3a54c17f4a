from django.apps import AppConfig


class SeedConfig(AppConfig):
    """The initial Heat content (content.py) and ``manage.py seed_content``, which loads it."""

    name = "heatwiki.seed"
    label = "seed"
    verbose_name = "Initial content"
