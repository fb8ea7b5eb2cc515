from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script and styles as files: the page runs under the desk's CSP."""

    template_name = "api/docs.html"
    title = "Social IT Desk API"
