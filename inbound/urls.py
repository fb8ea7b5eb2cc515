from django.urls import path

from . import views

app_name = "inbound"

urlpatterns = [
    path("<int:pk>.eml", views.message_download, name="eml"),
]
