from django.urls import path

from .views import workflow_desk

app_name = "account_work"

urlpatterns = [
    path("grants/", workflow_desk.grants_list, name="grants"),
    path("grants/<int:pk>/", workflow_desk.grant_record, name="grant"),
    path("offboard/", workflow_desk.offboard_choose, name="offboard_choose"),
    path("offboard/<int:pk>/", workflow_desk.offboard, name="offboard"),
]
