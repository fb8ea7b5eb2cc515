from __future__ import annotations

from django import template

from accounts.models import User
from tickets.models import Ticket

from ..selectors import MailRow, ticket_mail

register = template.Library()


@register.simple_tag
def mail_of(ticket: Ticket, user: User) -> list[MailRow]:
    """The ticket's mail for the ticket page's partial, through the one selector."""
    return ticket_mail(user, ticket)
