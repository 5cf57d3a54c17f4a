"""The registry of page kinds: every concrete model built on WikiPage."""

from django.apps import apps

from .models import WikiPage


def page_kinds() -> list[type[WikiPage]]:
    """Page kind models in navigation order."""
    kinds = [m for m in apps.get_models() if issubclass(m, WikiPage)]
    return sorted(kinds, key=lambda model: model.nav_order)
