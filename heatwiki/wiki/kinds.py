"""The registry of page kinds: every model built on WikiPage."""

from django.apps import apps

from .models import WikiPage


def page_kinds() -> list[type[WikiPage]]:
    """Page kind models in navigation order."""
    kinds = [m for m in apps.get_models() if issubclass(m, WikiPage) and m is not WikiPage]
    return sorted(kinds, key=lambda model: model.nav_order)


def kind_model(namespace: str) -> type[WikiPage]:
    """The page kind whose URL namespace this is; LookupError for none."""
    for model in page_kinds():
        if model.url_namespace == namespace:
            return model
    raise LookupError(namespace)
