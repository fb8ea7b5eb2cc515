"""The API's endpoints: thin, over the screens' selectors and the tickets' services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import signed_in_user
from accounts.models import User
from tickets import selectors as ticket_selectors
from tickets import services
from tickets.models import Platform, ProblemType, Queue, Ticket

from . import selectors
from .pagination import KeysetPagination
from .serializers import (
    CommentCreateSerializer,
    CommentCreateUploadSerializer,
    CommentSerializer,
    PlatformSerializer,
    ProblemTypeSerializer,
    ProfileSerializer,
    QueueSerializer,
    TicketChangeSerializer,
    TicketCreateSerializer,
    TicketCreateUploadSerializer,
    TicketDetailSerializer,
    TicketSerializer,
)

LIST_PARAMETERS = [
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        many=True,
        enum=[*Ticket.Status.values, selectors.UNRESOLVED],
        description="Repeat to match any of several.",
    ),
    OpenApiParameter("priority", OpenApiTypes.INT, many=True, enum=Ticket.Priority.values),
    OpenApiParameter("queue", OpenApiTypes.INT, many=True, description="Queues you work (staff)."),
    OpenApiParameter("platform", OpenApiTypes.INT, many=True),
    OpenApiParameter("problem_type", OpenApiTypes.INT, many=True),
    OpenApiParameter("assignee", OpenApiTypes.STR, description="“me”, “none” or a person's id."),
    OpenApiParameter("q", OpenApiTypes.STR, description="A reference such as SIT-12, or words to search."),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=list(selectors.ORDERINGS)),
]


def _body(json: type[Any], upload: type[Any]) -> dict[str, type[Any]]:
    """A request body as JSON, or as multipart/form-data with files."""
    return {"application/json": json, "multipart/form-data": upload}


class TicketList(generics.ListCreateAPIView):
    pagination_class = KeysetPagination
    serializer_class = TicketSerializer
    parser_classes = [JSONParser, MultiPartParser]

    def ordering_for(self, request: Request) -> list[str]:
        return selectors.ordering_key(request.query_params)

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a caller
            return Ticket.objects.none()
        return selectors.api_tickets(signed_in_user(self.request), self.request.query_params)

    @extend_schema(parameters=LIST_PARAMETERS, summary="Tickets you may see")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        request=_body(TicketCreateSerializer, TicketCreateUploadSerializer),
        responses={201: TicketDetailSerializer},
        summary="File a ticket, with attachments if sent as multipart/form-data",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = signed_in_user(request)
        form = TicketCreateUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ticket = services.ticket_file(requester=user, **form.validated_data)
        visible = selectors.ticket_for(user, ticket.pk)
        context = {"comments": [], "attachments": selectors.ticket_files(visible)}
        body = TicketDetailSerializer(visible.ticket, context=context).data
        location = reverse("api:ticket", args=[ticket.pk])
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class TicketDetail(APIView):
    @extend_schema(responses=TicketDetailSerializer, summary="A ticket and the conversation you may read")
    def get(self, request: Request, pk: int) -> Response:
        visible = selectors.ticket_for(signed_in_user(request), pk)
        context = {
            "comments": selectors.ticket_comments(visible),
            "attachments": selectors.ticket_files(visible),
        }
        return Response(TicketDetailSerializer(visible.ticket, context=context).data)

    @extend_schema(
        request=TicketChangeSerializer,
        responses=TicketSerializer,
        summary="Change status, priority, assignee or queue (staff of the ticket's queue)",
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        visible = selectors.ticket_for(user, pk)
        if not visible.staff:
            raise exceptions.PermissionDenied(f"Only the {visible.ticket.queue} team can change this ticket.")
        form = TicketChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        ticket = _change(visible.ticket, user, form.validated_data)
        return Response(TicketSerializer(ticket).data)


def _change(ticket: Ticket, actor: User, changes: dict[str, Any]) -> Ticket:
    """One service per field, all or none: the queue before the assignee, who must work it,
    and the status last, as a resolved ticket takes no other change."""
    with transaction.atomic():
        if "priority" in changes:
            ticket = services.ticket_set_priority(ticket=ticket, priority=changes["priority"], actor=actor)
        if "queue" in changes and changes["queue"].pk != ticket.queue_id:
            ticket = services.ticket_transfer(ticket=ticket, queue=changes["queue"], actor=actor)
        if "assignee" in changes:
            ticket = services.ticket_assign(ticket=ticket, assignee=changes["assignee"], actor=actor)
        if "status" in changes and changes["status"] != ticket.status:
            ticket = services.ticket_set_status(ticket=ticket, status=changes["status"], actor=actor)
    return ticket


class TicketComments(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request=_body(CommentCreateSerializer, CommentCreateUploadSerializer),
        responses={201: CommentSerializer},
        summary="Reply, or add an internal note (staff of the ticket's queue), with files if multipart",
    )
    def post(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        visible = selectors.ticket_for(user, pk)
        form = CommentCreateUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        internal = form.validated_data["internal"]
        if internal and not visible.staff:
            raise exceptions.ValidationError({"internal": ["Only the ticket's team can add internal notes."]})
        comment = services.ticket_reply(
            ticket=visible.ticket,
            author=user,
            body=form.validated_data["body"],
            internal=internal,
            files=form.validated_data.get("files", []),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class QueueList(generics.ListAPIView):
    """Every queue, for staff (a ticket may be sent to any of them); nothing for requesters."""

    serializer_class = QueueSerializer

    def get_queryset(self) -> Any:
        return Queue.objects.all() if signed_in_user(self.request).is_desk_user else Queue.objects.none()


class QueueMine(generics.ListAPIView):
    """The queues you work, as the desk lists them."""

    serializer_class = QueueSerializer

    def get_queryset(self) -> Any:
        return ticket_selectors.desk_queues(signed_in_user(self.request))


class PlatformList(generics.ListAPIView):
    serializer_class = PlatformSerializer
    queryset = Platform.objects.filter(is_active=True)


class ProblemTypeList(generics.ListAPIView):
    serializer_class = ProblemTypeSerializer
    queryset = ProblemType.objects.filter(is_active=True)


class Profile(APIView):
    @extend_schema(responses=ProfileSerializer, summary="Who you are signed in as")
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(signed_in_user(request)).data)


class UnknownEndpoint(APIView):
    """Any other URL under /api/v1/ (a forged id such as -1 included): a JSON 404, not the desk's page."""

    schema = None
    permission_classes: list[Any] = []

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound("No such endpoint or object; the endpoints are listed at /api/docs/.")

    post = put = patch = delete = get
