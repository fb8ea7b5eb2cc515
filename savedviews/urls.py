from django.urls import path

from . import views

app_name = "savedviews"

urlpatterns = [
    path("", views.view_save, name="save"),
    path("<int:pk>/delete/", views.view_delete, name="delete"),
    path("<int:pk>/default/", views.view_default, name="default"),
]
