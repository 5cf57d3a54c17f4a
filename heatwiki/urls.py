from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from heatwiki.api.dumps import dumps_page
from heatwiki.api.urls import schema_patterns, token_patterns, v1_patterns
from heatwiki.edge.availability import readyz
from heatwiki.pagecache.cache import cached_for_readers
from heatwiki.search import api as search_api
from heatwiki.views import favicon, healthz, home
from heatwiki.wiki.urls import page_kind_urls

urlpatterns = [
    path("", cached_for_readers(home), name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    *token_patterns,
    path("accounts/", include("allauth.urls")),
    # The read API: the search app's endpoint beside the API app's own, in one namespace.
    path("api/v1/", include(([*v1_patterns(), *search_api.urlpatterns], "api"), namespace="api")),
    *schema_patterns,
    path("dumps/", dumps_page, name="dumps"),
    path("editor/", include("heatwiki.wiki.editor_urls")),
    path("", include("heatwiki.search.urls")),
    path("", include("heatwiki.wiki.urls")),
    path("", include("scenes.site_urls")),
    *page_kind_urls(),
    # Last: its /<kind>/<slug>/talk/ addresses must not shadow anything above.
    path("", include("heatwiki.community.urls")),
]

# A database away or read-only is a 503 with what was typed kept, not a 500.
handler500 = "heatwiki.edge.availability.server_error"

if settings.DEBUG:
    # Uploaded images; in production the web server serves MEDIA_ROOT itself.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A missing page's 404 offers search results and "create this page" (heatwiki.views).
handler404 = "heatwiki.views.page_not_found"
