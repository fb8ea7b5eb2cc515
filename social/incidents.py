"""A hacked account: the report that starts the response, and the return to normal at its end.

The report files an urgent ticket through routing like any other (the compromised-account rule
sends it to IT and records itself), brings in Communications beside IT, marks the account
compromised and tells its owner and deputy. The checklist comes with the problem type. When
the ticket is resolved (tickets.hooks.on_resolved), the account is active again and its next
access review falls due at once: whoever had access during the incident is checked.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from checklists.reference_data import HACKED_PROBLEM
from notifications.models import Kind as Email
from notifications.services import Recipient, notify
from tickets.models import REFERENCE_PREFIX, Platform, ProblemType, Queue, Ticket
from tickets.services import ticket_collaborate, ticket_file

from .history import Value, diff, event_record, snapshot
from .models import AccountEvent, CompanyAccount

SIGNS = [
    ("cannot_log_in", "We can't log in"),
    ("strange_posts", "Posts we did not write"),
    ("unasked_reset", "A password-reset or second-factor email nobody asked for"),
    ("messages_sent", "Messages sent from the account that we did not send"),
]
SIGN_LABELS = dict(SIGNS)
DETAILS_MAX = 4_000


def _subject(ticket: Ticket) -> Value:
    return {"id": ticket.pk, "label": f"{REFERENCE_PREFIX}{ticket.pk}"}


@transaction.atomic
def account_report_hacked(
    *,
    reporter: User,
    platform: Platform,
    signs: list[str],
    account: CompanyAccount | None = None,
    account_text: str = "",
    details: str = "",
) -> Ticket:
    unknown = [sign for sign in signs if sign not in SIGN_LABELS]
    if unknown:
        raise ValidationError({"signs": "Tick only the signs listed."})
    details = details.strip()
    if not signs and not details:
        raise ValidationError({"signs": "Tick what you see, or describe it below."})
    if len(details) > DETAILS_MAX:
        raise ValidationError({"details": f"Keep it to {DETAILS_MAX:,} characters; attach the rest later."})
    named = account.name if account is not None else " ".join(account_text.split())
    seen = [SIGN_LABELS[sign] for sign in signs]
    description = "\n".join(["What the reporter sees:", *[f"- {line}" for line in seen]])
    if details:
        description += f"\n\n{details}"
    ticket = ticket_file(
        requester=reporter,
        platform=platform,
        problem_type=ProblemType.objects.get(slug=HACKED_PROBLEM),
        subject=f"Hacked account: {named or platform}",
        description=description,
        company_account="" if account is not None else named,
        account=account,
    )
    communications = Queue.objects.filter(slug=settings.STATEMENT_QUEUE).first()
    if communications is not None and communications.pk != ticket.queue_id:
        ticket_collaborate(
            ticket=ticket, queue=communications, actor=None, why="a hacked account speaks for the company"
        )
    if account is not None:
        _mark_compromised(account, ticket, reporter)
        _tell_owners(account, ticket, reporter, seen)
    return ticket


def _mark_compromised(account: CompanyAccount, ticket: Ticket, reporter: User) -> None:
    account = (
        CompanyAccount.objects.select_for_update(of=("self",)).select_related("platform").get(pk=account.pk)
    )
    if account.status == CompanyAccount.Status.COMPROMISED:
        return
    before = snapshot(account, ["status"])
    account.status = CompanyAccount.Status.COMPROMISED
    account.updated_at = timezone.now()
    account.save(update_fields=["status", "updated_at"])
    event_record(
        account=account,
        actor=reporter,
        kind=AccountEvent.Kind.COMPROMISED,
        summary=f"{reporter} reported {account.name} hacked in {ticket.reference}",
        fields=diff(account, before),
        subject=_subject(ticket),
    )


def _tell_owners(account: CompanyAccount, ticket: Ticket, reporter: User, seen: list[str]) -> None:
    people = [person for person in (account.owner, account.deputy) if person is not None]
    url = f"{settings.SITE_URL}{account.get_portal_url()}"
    notify(
        kind=Email.ACCOUNT_NOTICE,
        recipients=[Recipient(user=person, url=url) for person in people],
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context={
            "title": f"{account.name} was reported hacked ({ticket.reference})",
            "headline": f"{reporter} reported {account.name} on {account.platform} hacked. They see:",
            "lines": [
                *seen,
                "IT is securing the account now and Communications prepares what the company says.",
                "Don't post from the account until IT says it is safe.",
            ],
        },
        actor=reporter,
    )


def account_restore_after(ticket: Ticket) -> None:
    """On resolution of a hacked-account ticket (tickets.hooks.on_resolved): active again, review due now.

    Another hacked-account ticket still open for the account keeps it compromised.
    """
    if ticket.account_id is None or ticket.problem_type.slug != HACKED_PROBLEM:
        return
    account = CompanyAccount.objects.select_for_update(of=("self",)).filter(pk=ticket.account_id).first()
    if account is None or account.status != CompanyAccount.Status.COMPROMISED:
        return
    still_open = (
        Ticket.objects.filter(
            account=account, problem_type__slug=HACKED_PROBLEM, status__in=Ticket.OPEN_STATUSES
        )
        .exclude(pk=ticket.pk)
        .exists()
    )
    if still_open:
        return
    before = snapshot(account, ["status", "review_due_at"])
    now = timezone.now()
    account.status = CompanyAccount.Status.ACTIVE
    account.review_due_at = now
    # The review sweep reminds the owner at once, as for any review that falls due.
    account.review_notice_at = account.review_due_at
    account.updated_at = now
    account.save(update_fields=["status", "review_due_at", "review_notice_at", "updated_at"])
    event_record(
        account=account,
        actor=None,
        kind=AccountEvent.Kind.RESTORED,
        summary=f"{account.name} is active again: {ticket.reference} was resolved; its access review is due now",
        fields=diff(account, before),
        subject=_subject(ticket),
    )
