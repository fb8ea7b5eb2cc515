from django.contrib import admin
from django.urls import include, path

from tickets.views.portal import home

admin.site.site_header = "Social IT Desk administration"
admin.site.site_title = "Social IT Desk"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", home, name="home"),
    path("requests/", include("tickets.urls")),
    path("desk/", include("tickets.desk_urls")),
    path("accounts/notifications/", include("notifications.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]
