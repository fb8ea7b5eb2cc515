from django.urls import path

from . import views

app_name = "checklists"

urlpatterns = [
    path("items/<int:pk>/tick/", views.item_tick, name="tick"),
    path("<int:pk>/waive/", views.checklist_waive, name="waive"),
    path("tickets/<int:pk>/statement/", views.statement_draft, name="statement"),
    path("tickets/<int:pk>/statement/approve/", views.statement_approve, name="approve"),
]
