from django.urls import path

from .views import desk

app_name = "registry"

urlpatterns = [
    path("", desk.registry_list, name="list"),
    path("new/", desk.account_new, name="new"),
    path("<int:pk>/", desk.account_detail, name="account"),
    path("<int:pk>/edit/", desk.account_edit, name="edit"),
    path("<int:pk>/access/new/", desk.access_grant, name="grant"),
    path("access/<int:pk>/revoke/", desk.access_revoke, name="revoke"),
    path("<int:pk>/apps/new/", desk.connected_app_add, name="app_add"),
    path("apps/<int:pk>/remove/", desk.connected_app_remove, name="app_remove"),
]
