from django.urls import path

from .views import desk, desk_tools, policy

app_name = "desk_guides"

urlpatterns = [
    path("", desk.guide_list, name="list"),
    path("new/", desk.guide_new, name="new"),
    path("preview/", desk.guide_preview, name="preview"),
    path("picker/", desk_tools.guide_picker, name="picker"),
    path("policy/confirmations/", policy.confirmations, name="policy_confirmations"),
    path("policy/confirmations.csv", policy.confirmations_csv, name="policy_confirmations_csv"),
    path("<int:pk>/policy/", policy.designate, name="policy_designate"),
    path("<int:pk>/policy/version/", policy.new_version, name="policy_version"),
    path("<int:pk>/", desk.guide_edit, name="edit"),
    path("<int:pk>/images/", desk.guide_image_add, name="image_add"),
    path("<int:pk>/revisions/", desk.guide_revisions, name="revisions"),
    path("revisions/<int:pk>/", desk.guide_revision, name="revision"),
]
