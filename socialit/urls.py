from django.contrib import admin
from django.urls import include, path

from tickets.views.portal import home

urlpatterns = [
    path("", home, name="home"),
    path("requests/accounts/", include("social.portal_urls")),
    path("requests/accounts/", include("social.workflow_urls")),
    path("approvals/", include("approvals.urls")),
    path("", include("posts.urls")),
    path("requests/", include("tickets.urls")),
    path("desk/accounts/", include("social.desk_urls")),
    path("desk/accounts/", include("social.workflow_desk_urls")),
    path("guides/", include("guides.urls")),
    path("desk/guides/", include("guides.desk_urls")),
    path("satisfaction/", include("satisfaction.urls")),
    path("desk/checklists/", include("checklists.urls")),
    path("desk/macros/", include("macros.urls")),
    path("desk/views/", include("savedviews.urls")),
    path("desk/mail/", include("inbound.urls")),
    path("desk/", include("tickets.desk_urls")),
    path("accounts/notifications/", include("notifications.urls")),
    path("accounts/api-tokens/", include("api.token_urls")),
    path("accounts/2fa/", include("twofactor.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]

# A database that is away answers 503 with Retry-After, whichever error Django saw.
handler400 = "socialit.serving.bad_request"
handler500 = "socialit.serving.server_error"
