"""The admin's change history of configuration (routing rules, SLA policies, queue rates).

django-simple-history keeps a row per save; its admin pages show them. Here they are a record
only: a version's page is read-only (the library's POST there would save the live row,
bypassing the change permission), and the list template is CSP-clean.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin


class ChangeHistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = "admin/change_history_list.html"

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied("The change history is a record: change the rule itself instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)
