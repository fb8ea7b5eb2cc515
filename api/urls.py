from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import guides, registry, views
from .attachments import AttachmentDownload
from .docs import ApiDocs
from .preferences import NotificationPreferences

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocs.as_view(url_name="api:schema"), name="docs"),
    path("v1/tickets/", views.TicketList.as_view(), name="tickets"),
    path("v1/tickets/<int:pk>/", views.TicketDetail.as_view(), name="ticket"),
    path("v1/tickets/<int:pk>/comments/", views.TicketComments.as_view(), name="ticket-comments"),
    path("v1/attachments/<int:pk>/", AttachmentDownload.as_view(), name="attachment"),
    path("v1/accounts/", registry.AccountList.as_view(), name="accounts"),
    path("v1/accounts/<int:pk>/", registry.AccountDetail.as_view(), name="account"),
    path("v1/guides/", guides.GuideList.as_view(), name="guides"),
    path("v1/guides/<slug:slug>/", guides.GuideDetail.as_view(), name="guide"),
    path("v1/queues/", views.QueueList.as_view(), name="queues"),
    path("v1/queues/mine/", views.QueueMine.as_view(), name="my-queues"),
    path("v1/platforms/", views.PlatformList.as_view(), name="platforms"),
    path("v1/problem-types/", views.ProblemTypeList.as_view(), name="problem-types"),
    path("v1/me/", views.Profile.as_view(), name="me"),
    path("v1/me/notifications/", NotificationPreferences.as_view(), name="my-notifications"),
    re_path(r"^v1/", views.UnknownEndpoint.as_view()),
]
