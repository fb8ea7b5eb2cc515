"""The admin shows each person what the desk shows them: the tickets of the queues they work.

One rule for every ticket-related admin (tickets, comments, attachments, events, time entries,
notifications) and for the people they name, built on the desk's own selectors. Lists, change
pages, history, filters, facets, search, date drill-down, autocomplete and actions all start
from `get_queryset`, so narrowing it narrows them all; a row outside it reads as missing, as
in the desk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib import admin
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from accounts.http import signed_in_user
from accounts.models import User

from .models import Queue
from .selectors import desk_queues, desk_tickets

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Row = TypeVar("Row", bound=models.Model)


def desk_rows(rows: QuerySet[Row], user: User, ticket_path: str) -> QuerySet[Row]:
    """The rows about tickets the user works in the desk.

    `ticket_path` leads from a row to its ticket ("" for tickets themselves). A row about no
    ticket (a notification of an account's own) is for administrators only.
    """
    if user.is_superuser:
        return rows
    tickets = desk_tickets(user)
    if not ticket_path:
        # Merged, not nested: the literal queue list keeps the (queue, updated_at) index usable.
        # Without a path the rows are the tickets themselves.
        return rows & cast("QuerySet[Row]", tickets)
    if user.sees_every_queue:
        # Every ticket: saying so with a subquery would make the database read them all.
        return rows.filter(**{f"{ticket_path}__isnull": False})
    return rows.filter(**{f"{ticket_path}__in": tickets})


def desk_people(user: User) -> Q:
    """Whom a user meets in the desk: requesters and assignees of their queues' tickets, and the
    members of their queues. Managers and administrators meet everyone."""
    if user.is_superuser or user.sees_every_queue:
        return Q()
    tickets = desk_tickets(user)
    return (
        Q(Exists(tickets.filter(requester=OuterRef("pk"))))
        | Q(Exists(tickets.filter(assignee=OuterRef("pk"))))
        # Through the membership table: a filter chained on user.queues would reuse its join
        # and match the viewer alone.
        | Q(Exists(Queue.members.through.objects.filter(queue__in=desk_queues(user), user=OuterRef("pk"))))
    )


def _touches_a_file(model: type[models.Model], lookup: str) -> bool:
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:  # a transform or a lookup: no more fields on this path
            return False
        if isinstance(field, models.FileField):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


class DeskQueueFilter(admin.RelatedFieldListFilter):
    """Offers the queues the viewer works, as the desk's queue filter does, and no others."""

    def field_choices(
        self, field: Any, request: HttpRequest, model_admin: Any
    ) -> list[tuple[str, StrOrPromise]]:
        return [(str(queue.pk), str(queue)) for queue in desk_queues(signed_in_user(request))]


class DeskScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are those of the tickets the viewer works in the desk."""

    ticket_path = "ticket"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return desk_rows(super().get_queryset(request), signed_in_user(request), self.ticket_path)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # Stored file names are random so that only the download view, which checks who asks,
        # leads to a file; a ?file__startswith= probe would spell them out one letter at a time.
        return not _touches_a_file(self.model, lookup) and super().lookup_allowed(lookup, value, request)

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        for item in [*self.list_filter, *self.search_fields]:
            name = item[0] if isinstance(item, (list, tuple)) else item
            if isinstance(name, str) and _touches_a_file(self.model, name.lstrip("^=@")):
                errors.append(
                    checks.Error(
                        f"{type(self).__name__} filters or searches on a stored file path ({name}).",
                        hint="Show file names, never where they are stored.",
                        obj=type(self),
                        id="tickets.E001",
                    )
                )
        return errors


class DeskPeopleAdmin(admin.ModelAdmin):
    """A user admin whose rows are the people the viewer meets in the desk."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(desk_people(signed_in_user(request)))
