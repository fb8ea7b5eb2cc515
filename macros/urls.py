from django.urls import path

from . import views

app_name = "macros"

urlpatterns = [
    path("tickets/<int:pk>/", views.picker, name="picker"),
    path("tickets/<int:pk>/<int:macro_pk>/", views.preview, name="preview"),
    path("tickets/<int:pk>/<int:macro_pk>/apply/", views.apply, name="apply"),
]
