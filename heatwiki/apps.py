from django.apps import AppConfig


class HeatWikiConfig(AppConfig):
    """The site itself: home page and site-wide templates tags."""

    name = "heatwiki"
    verbose_name = "HeatWiki"
