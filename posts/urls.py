from django.urls import path

from . import views

app_name = "posts"

urlpatterns = [
    path("requests/posts/new/", views.review_new, name="new"),
    path("requests/<int:pk>/post/revise/", views.draft_new, name="revise"),
    path("desk/tickets/<int:pk>/post/decide/", views.review_decision, name="decide"),
]
