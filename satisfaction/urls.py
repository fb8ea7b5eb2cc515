from django.urls import path

from .views import rate

app_name = "satisfaction"

urlpatterns = [
    path("rate/<str:token>/", rate.rate_by_link, name="rate"),
    path("requests/<int:pk>/rating/", rate.rate_in_portal, name="rate_in_portal"),
]
