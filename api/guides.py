"""Guides, read only: the published guides a person may read, as the portal lists them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guides import selectors
from guides.models import Guide
from tickets.models import Platform

from .pagination import KeysetPagination
from .selectors import check_params, ids_param
from .serializers import PlatformSerializer

FILTERS = ("platform", "topic", "q")
ORDERING = ["title", "id"]


class GuideSerializer(serializers.ModelSerializer):
    platforms = PlatformSerializer(many=True, read_only=True)

    class Meta:
        model = Guide
        fields = ["id", "slug", "title", "summary", "topic", "platforms", "updated_at"]
        read_only_fields = fields


class GuideDetailSerializer(GuideSerializer):
    class Meta(GuideSerializer.Meta):
        fields = [*GuideSerializer.Meta.fields, "body", "body_html", "published_at"]
        read_only_fields = fields


class SearchPagination(KeysetPagination):
    """A search answers its best matches in one page (the portal's SEARCH_RESULTS), without cursors."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        if not request.query_params.get("q", "").strip():
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.searched = True
        return list(queryset)

    def get_paginated_response(self, data: Any) -> Response:
        if getattr(self, "searched", False):
            return Response({"next": None, "previous": None, "results": data})
        return super().get_paginated_response(data)


class GuideList(generics.ListAPIView):
    serializer_class = GuideSerializer
    pagination_class = SearchPagination

    def ordering_for(self, request: Request) -> list[str]:
        return ORDERING

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Guide.objects.none()
        params = self.request.query_params
        check_params(params, FILTERS)
        topic = params.get("topic", "")
        if topic and topic not in Guide.Topic.values:
            raise ValidationError({"topic": [f"Unknown topic; use one of {', '.join(Guide.Topic.values)}."]})
        platform = None
        if platform_ids := ids_param(params, "platform")[:1]:
            platform = Platform.objects.filter(pk=platform_ids[0]).first()
            if platform is None:
                raise ValidationError({"platform": ["No such platform."]})
        filters = selectors.GuideFilters(
            platform=platform, topic=topic, query=params.get("q", "").strip()[:200]
        )
        return selectors.portal_guides(self.request.user, filters)

    @extend_schema(
        parameters=[
            OpenApiParameter("platform", OpenApiTypes.INT),
            OpenApiParameter("topic", OpenApiTypes.STR, enum=Guide.Topic.values),
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words to search for: the best matches, in one page."
            ),
        ],
        summary="Guides you may read",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class GuideDetail(APIView):
    @extend_schema(
        responses=GuideDetailSerializer, summary="A guide: its Markdown and the HTML the portal shows"
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(GuideDetailSerializer(selectors.portal_guide(request.user, slug)).data)
