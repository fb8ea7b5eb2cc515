from django.urls import path

from .views import portal

app_name = "my_accounts"

urlpatterns = [
    path("", portal.my_accounts, name="list"),
    path("<int:pk>/", portal.my_account, name="account"),
]
