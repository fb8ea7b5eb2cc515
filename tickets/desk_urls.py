from django.urls import path

from .views import desk, linking

app_name = "desk"

urlpatterns = [
    path("", desk.ticket_list, name="list"),
    path("bulk/", desk.bulk, name="bulk"),
    path("tickets/<int:pk>/", desk.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/reply/", desk.ticket_reply, name="reply"),
    path("tickets/<int:pk>/claim/", desk.ticket_claim, name="claim"),
    path("tickets/<int:pk>/assign/", desk.ticket_assign, name="assign"),
    path("tickets/<int:pk>/transfer/", desk.ticket_transfer, name="transfer"),
    path("tickets/<int:pk>/status/", desk.ticket_status, name="status"),
    path("tickets/<int:pk>/priority/", desk.ticket_priority, name="priority"),
    path("tickets/<int:pk>/time/", desk.ticket_log_time, name="log_time"),
    path("tickets/<int:pk>/link/", linking.ticket_link, name="link"),
    path("tickets/<int:pk>/links/<int:link_pk>/remove/", linking.ticket_unlink, name="unlink"),
    path("tickets/<int:pk>/merge/", linking.ticket_merge, name="merge"),
    path("tickets/<int:pk>/resolve-family/", linking.ticket_resolve_family, name="resolve_family"),
    path("tickets/<int:pk>/follow/", linking.ticket_follow, name="follow"),
]
