from django.contrib import admin
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("export/<slug:table>.csv", admin.site.admin_view(views.export), name="export"),
]
