from django.apps import AppConfig


class HeatWikiConfig(AppConfig):
    """The site itself: home page, site-wide templates tags and management commands."""

    name = "heatwiki"
    verbose_name = "HeatWiki"
