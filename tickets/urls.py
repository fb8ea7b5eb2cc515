from django.urls import path

from .views import files, filing, linking, portal

app_name = "tickets"

urlpatterns = [
    path("", portal.ticket_list, name="list"),
    path("new/", portal.ticket_new, name="new"),
    path("new/accounts/", filing.account_choices, name="account_choices"),
    path("<int:pk>/", portal.ticket_detail, name="detail"),
    path("<int:pk>/reply/", portal.ticket_reply, name="reply"),
    path("<int:pk>/resolve/", portal.ticket_resolve, name="resolve"),
    path("<int:pk>/reopen/", portal.ticket_reopen, name="reopen"),
    path("<int:pk>/colleagues/", linking.colleague_add, name="colleague_add"),
    path("<int:pk>/colleagues/<int:user_pk>/remove/", linking.colleague_remove, name="colleague_remove"),
    path("attachments/<int:pk>/", files.attachment_download, name="attachment"),
]
