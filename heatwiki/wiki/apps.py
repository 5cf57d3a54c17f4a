from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "heatwiki.wiki"
    label = "wiki"
    verbose_name = "Wiki engine"

    def ready(self) -> None:
        from heatwiki.pagecache.frames import kept_as, standing_by
        from heatwiki.pagecache.invalidation import watch
        from heatwiki.pagecache.variants import varies_by

        from . import files, layer_views, receivers  # noqa: F401
        from .kinds import page_kinds
        from .layers import layer_key
        from .models import LayerChoice, PageLink, WikiPage
        from .permissions import moderator_standing
        from .views import page_handle

        # Readers see every row of the engine and of the apps that hold page kinds (their
        # relations and owned rows too); links are rewritten only by the revision service,
        # which moves the generation on itself.
        files.connect()
        configs = {self} | {model._meta.app_config for model in page_kinds()}
        watch(*(m for c in configs for m in c.get_models() if m not in (PageLink, LayerChoice)))
        # What a reader has chosen to see is part of every cached page's key.
        varies_by(layer_key)
        # Moderators' pages show more (hidden revisions, moderation links) than editors' do;
        # a page row given to a reader's own part is kept without its relations.
        standing_by(moderator_standing)
        kept_as(WikiPage, page_handle)
