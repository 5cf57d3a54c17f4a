from django.contrib import admin
from django.urls import path

from heatwiki.views import home
from heatwiki.wiki.urls import page_kind_urls

admin.site.site_header = "HeatWiki moderation"
admin.site.site_title = "HeatWiki admin"
admin.site.index_title = "Moderate the wiki"

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    *page_kind_urls(),
]
