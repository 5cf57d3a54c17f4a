"""The admin site moderators use: staff with an active block are kept out of it too."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from .admin_guard import guarded


class HeatWikiAdminSite(admin.AdminSite):
    site_header = "HeatWiki moderation"
    site_title = "HeatWiki admin"
    index_title = "Moderate the wiki"
    # The lists (revisions above all) need the width more than a second menu does.
    enable_nav_sidebar = False

    @property
    def login_form(self):
        """Failed sign-ins here count against the site's limits (heatwiki.accounts.admin_login);
        imported when first asked for, as it needs the apps loaded."""
        from .admin_login import LimitedAdminAuthenticationForm

        return LimitedAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        from .blocks import active_block

        return super().has_permission(request) and active_block(request.user) is None

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        """Every model admin, HeatWiki's or an installed app's, checks ids, filters, actions and
        relations before they reach a query (heatwiki.accounts.admin_guard)."""
        admin_class = guarded(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)


class HeatWikiAdminConfig(AdminConfig):
    default_site = "heatwiki.accounts.admin_site.HeatWikiAdminSite"
