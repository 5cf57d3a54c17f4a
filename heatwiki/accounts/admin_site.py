"""The admin site moderators use: staff with an active block are kept out of it too."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class HeatWikiAdminSite(admin.AdminSite):
    site_header = "HeatWiki moderation"
    site_title = "HeatWiki admin"
    index_title = "Moderate the wiki"

    def has_permission(self, request: HttpRequest) -> bool:
        from .blocks import active_block

        return super().has_permission(request) and active_block(request.user) is None


class HeatWikiAdminConfig(AdminConfig):
    default_site = "heatwiki.accounts.admin_site.HeatWikiAdminSite"
