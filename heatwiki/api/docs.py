"""The API's human docs: Swagger UI from drf-spectacular-sidecar's static files, no CDN.

The page's scripts are all files of this site, its set-up script included (served by the same
view with ``?script``), so the site's Content Security Policy needs no exception for it.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "HeatWiki API"
