"""Company accounts, read only, exactly as the registry's screens show them.

Desk staff read every account (the registry), everyone else the ones they own, deputise or
hold a role on (My accounts). Recovery details go only to those social.selectors lets see
them: the owner, the deputy and the staff who may change the account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import signed_in_user
from social import selectors
from social.models import Access, CompanyAccount, ConnectedApp

from .pagination import KeysetPagination
from .selectors import check_params, ids_param
from .serializers import PersonSerializer, PlatformSerializer, QueueRefSerializer

FILTERS = ("platform", "queue", "status", "q")
ORDERING = ["name", "id"]


class AccountSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="The account's address, or empty.")
    platform = PlatformSerializer(read_only=True)
    queue = QueueRefSerializer(read_only=True)
    owner = PersonSerializer(read_only=True)
    deputy = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CompanyAccount
        fields = [
            "id",
            "name",
            "handle",
            "url",
            "platform",
            "queue",
            "owner",
            "deputy",
            "status",
            "last_reviewed_at",
            "review_due_at",
        ]
        read_only_fields = fields


class RecoverySerializer(serializers.ModelSerializer):
    second_factor_holder = PersonSerializer(read_only=True, allow_null=True)
    recovery_email_holder = PersonSerializer(read_only=True, allow_null=True)
    recovery_phone_holder = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CompanyAccount
        fields = [
            "second_factor",
            "second_factor_holder",
            "recovery_email",
            "recovery_email_holder",
            "recovery_phone",
            "recovery_phone_holder",
            "credentials_location",
        ]
        read_only_fields = fields


class AccessSerializer(serializers.ModelSerializer):
    holder = PersonSerializer(read_only=True)
    role = serializers.CharField(source="role_name", read_only=True)

    class Meta:
        model = Access
        fields = ["id", "holder", "role", "granted_at", "ends_at"]
        read_only_fields = fields


class ConnectedAppSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConnectedApp
        fields = ["id", "name", "scope", "added_at"]
        read_only_fields = fields


class AccountDetailSerializer(AccountSerializer):
    purpose = serializers.CharField(read_only=True)
    access = serializers.SerializerMethodField(
        help_text="Current access: everyone's for staff, owner and deputy."
    )
    connected_apps = serializers.SerializerMethodField()
    recovery = serializers.SerializerMethodField(
        help_text="Empty unless you may see how the account is recovered."
    )

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "purpose", "access", "connected_apps", "recovery"]
        read_only_fields = fields

    @extend_schema_field(AccessSerializer(many=True))
    def get_access(self, account: CompanyAccount) -> Any:
        return AccessSerializer(self.context["page"].current_access, many=True).data

    @extend_schema_field(ConnectedAppSerializer(many=True))
    def get_connected_apps(self, account: CompanyAccount) -> Any:
        return ConnectedAppSerializer(self.context["page"].current_apps, many=True).data

    @extend_schema_field(RecoverySerializer(allow_null=True))
    def get_recovery(self, account: CompanyAccount) -> Any:
        return RecoverySerializer(account).data if self.context["page"].shows_recovery else None


class AccountList(generics.ListAPIView):
    serializer_class = AccountSerializer
    pagination_class = KeysetPagination

    def ordering_for(self, request: Request) -> list[str]:
        return ORDERING

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CompanyAccount.objects.none()
        params = self.request.query_params
        check_params(params, FILTERS)
        status = params.get("status", "")
        if status and status not in CompanyAccount.Status.values:
            raise ValidationError(
                {"status": [f"Unknown status; use one of {', '.join(CompanyAccount.Status.values)}."]}
            )
        platforms, queues = ids_param(params, "platform"), ids_param(params, "queue")
        user = signed_in_user(self.request)
        if user.is_desk_user:
            filters = selectors.RegistryFilters(query=params.get("q", "").strip()[:200], status=status)
            accounts = selectors.registry_search(user, filters)
        else:
            accounts = selectors.portal_accounts(user).select_related(*selectors.ACCOUNT_RELATED)
            if query := params.get("q", "").strip()[:200]:
                accounts = accounts.filter(Q(name__icontains=query) | Q(handle__icontains=query))
            if status:
                accounts = accounts.filter(status=status)
        if platforms:
            accounts = accounts.filter(platform__in=platforms)
        if queues:
            accounts = accounts.filter(queue__in=queues)
        return accounts

    @extend_schema(
        parameters=[
            OpenApiParameter("platform", OpenApiTypes.INT, many=True),
            OpenApiParameter("queue", OpenApiTypes.INT, many=True, description="The owning queue."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=CompanyAccount.Status.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="Words in the name or handle."),
        ],
        summary="Company accounts: the registry for staff, your own accounts for everyone else",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class AccountDetail(APIView):
    @extend_schema(
        responses=AccountDetailSerializer, summary="One company account, as its page shows it to you"
    )
    def get(self, request: Request, pk: int) -> Response:
        user = signed_in_user(request)
        account = (
            selectors.desk_account(user, pk) if user.is_desk_user else selectors.portal_account(user, pk)
        )
        page = selectors.account_page(user, account, with_history=False)
        return Response(AccountDetailSerializer(account, context={"page": page}).data)
