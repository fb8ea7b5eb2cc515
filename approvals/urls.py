from django.urls import path

from .views import portal

app_name = "approvals"

urlpatterns = [
    path("", portal.approval_list, name="list"),
    path("<int:pk>/", portal.approval_detail, name="detail"),
    path("<int:pk>/decide/", portal.approval_decide, name="decide"),
    path("link/<str:token>/", portal.approval_link, name="link"),
]
