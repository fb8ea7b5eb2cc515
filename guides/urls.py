from django.urls import path

from .views import deflection, policy, portal

app_name = "guides"

urlpatterns = [
    path("", portal.guide_list, name="list"),
    path("images/<int:pk>/", portal.guide_image, name="image"),
    path("suggestions/", deflection.suggestions, name="suggestions"),
    path("<slug:slug>/", portal.guide_detail, name="guide"),
    path("<slug:slug>/feedback/", portal.guide_feedback, name="feedback"),
    path("<slug:slug>/viewed/", portal.guide_viewed, name="viewed"),
    path("<slug:slug>/solved/", deflection.solved, name="solved"),
    path("<slug:slug>/confirm/", policy.confirm, name="policy_confirm"),
]
