from django.urls import path

from .views import requests

app_name = "access_requests"

urlpatterns = [
    path("ask/", requests.access_request_new, name="new"),
    path("exception/", requests.exception_new, name="exception"),
    path("<int:pk>/review/", requests.access_review, name="review"),
]
