from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "heatwiki.community"
    label = "community"
    verbose_name = "Community: watchlists, notifications, talk pages and thanks"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from heatwiki.accounts.models import Block
        from heatwiki.wiki.signals import revision_committed, revisions_hidden

        from . import receivers

        revision_committed.connect(receivers.revision_committed, dispatch_uid="community:fan-out")
        revisions_hidden.connect(receivers.revisions_hidden, dispatch_uid="community:hidden")
        post_save.connect(receivers.block_saved, sender=Block, dispatch_uid="community:block")
