from django.urls import path

from .views import files, portal

app_name = "tickets"

urlpatterns = [
    path("", portal.ticket_list, name="list"),
    path("new/", portal.ticket_new, name="new"),
    path("<int:pk>/", portal.ticket_detail, name="detail"),
    path("<int:pk>/reply/", portal.ticket_reply, name="reply"),
    path("<int:pk>/resolve/", portal.ticket_resolve, name="resolve"),
    path("<int:pk>/reopen/", portal.ticket_reopen, name="reopen"),
    path("attachments/<int:pk>/", files.attachment_download, name="attachment"),
]
