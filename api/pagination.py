"""Cursor pages on the desk's keyset pager: page 1 and page 20,000 cost the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from tickets.paging import paginate

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class KeysetPagination(BasePagination):
    """Needs `view.ordering_for(request)`: the allowlisted ordering, ending in a unique field."""

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any]:
        if not isinstance(queryset, QuerySet):
            raise TypeError("Keyset pages need a queryset to order and filter.")
        raw = request.query_params.get("page_size", str(DEFAULT_PAGE_SIZE))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        self.request = request
        self.page = paginate(
            queryset,
            ordering=view.ordering_for(request),
            per_page=int(raw),
            after=request.query_params.get("after", ""),
            before=request.query_params.get("before", ""),
        )
        return self.page.rows

    def _link(self, cursor: str | None, direction: str) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        other = "before" if direction == "after" else "after"
        return replace_query_param(remove_query_param(url, other), direction, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self._link(self.page.next_cursor, "after"),
                "previous": self._link(self.page.previous_cursor, "before"),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        def parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
            return {
                "name": name,
                "in": "query",
                "required": False,
                "description": description,
                "schema": schema,
            }

        return [
            parameter("after", "The `next` link's cursor: the page after it.", {"type": "string"}),
            parameter("before", "The `previous` link's cursor: the page before it.", {"type": "string"}),
            parameter(
                "page_size",
                f"Rows per page, at most {MAX_PAGE_SIZE}.",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            ),
        ]
