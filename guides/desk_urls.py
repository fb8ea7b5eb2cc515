from django.urls import path

from .views import desk, desk_tools

app_name = "desk_guides"

urlpatterns = [
    path("", desk.guide_list, name="list"),
    path("new/", desk.guide_new, name="new"),
    path("preview/", desk.guide_preview, name="preview"),
    path("picker/", desk_tools.guide_picker, name="picker"),
    path("<int:pk>/", desk.guide_edit, name="edit"),
    path("<int:pk>/images/", desk.guide_image_add, name="image_add"),
    path("<int:pk>/revisions/", desk.guide_revisions, name="revisions"),
    path("revisions/<int:pk>/", desk.guide_revision, name="revision"),
]
