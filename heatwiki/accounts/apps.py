from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heatwiki.accounts"
    label = "accounts"

    def ready(self) -> None:
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model

        from heatwiki.pagecache.invalidation import watch

        from .models import Block

        # Pages show authors' names and whether an account is blocked; the moderation log
        # is for moderators' eyes only. A confirmed address changes what its owner may do,
        # which each reader's standing (kept per generation) says.
        watch(Block, get_user_model(), EmailAddress)
