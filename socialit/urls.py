from django.contrib import admin
from django.urls import include, path

from tickets.views.portal import home

urlpatterns = [
    path("", home, name="home"),
    path("requests/", include("tickets.urls")),
    path("desk/", include("tickets.desk_urls")),
    path("accounts/notifications/", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
