"""Keeping derived data current when pages disappear by any path (the admin, a cascade)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import WikiPage
from .services import relink_pages_linking_to


@receiver(post_delete, sender=WikiPage)
def turn_links_to_a_deleted_page_red(sender, instance: WikiPage, **kwargs) -> None:
    # After the commit, as for a rename: see the revision service.
    transaction.on_commit(partial(relink_pages_linking_to, {instance.title_key}), robust=True)
