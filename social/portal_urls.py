from django.urls import path

from .views import incident, portal

app_name = "my_accounts"

urlpatterns = [
    path("", portal.my_accounts, name="list"),
    path("<int:pk>/", portal.my_account, name="account"),
    path("hacked/", incident.report_hacked, name="report_hacked"),
]
