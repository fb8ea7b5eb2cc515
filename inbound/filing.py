"""A new message as a new ticket: who files it, about what, with whom copied."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tickets.models import Platform, ProblemType, RoutingRule, Ticket
from tickets.routing import keyword_found
from tickets.services import ticket_file

from .models import Contact, InboundMessage, Mailbox
from .parsing import Parsed

Status = InboundMessage.Status


class Held(Exception):
    """The message is fine but may not be posted: an agent decides.

    `auto_reply_to` is an address to tell how to file, written once the hold is recorded.
    """

    def __init__(self, reason: str, *, auto_reply_to: str = "") -> None:
        super().__init__(reason)
        self.auto_reply_to = auto_reply_to


def _refusal(error: ValidationError | PermissionDenied) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def person(address: str) -> User | None:
    """The active person with this address, an outside contact included (with `mail_contact`)."""
    if not address:
        return None
    return User.objects.filter(email__iexact=address, is_active=True).select_related("mail_contact").first()


def _is_contact(user: User) -> bool:
    try:
        return user.mail_contact is not None
    except Contact.DoesNotExist:
        return False


def contact_for(*, mailbox: Mailbox, address: str, name: str) -> User:
    """The outside sender as someone to file for and write to; never someone who can sign in."""
    user = User.objects.filter(email__iexact=address).first()
    if user is None:
        # No password: create_user with None makes it unusable, and a reset needs a usable one.
        user = User.objects.create_user(address, None, full_name=(name or address)[:150])
        Contact.objects.create(user=user, mailbox=mailbox)
    if not user.is_active:
        raise Held(f"{address}'s account is deactivated: no ticket was filed.")
    return user


def classified(text: str) -> tuple[Platform, ProblemType]:
    """Platform and problem type from the first rules whose keywords the mail has and that name one; else Other."""
    platform_id = problem_type_id = None
    rules = RoutingRule.objects.filter(is_active=True).exclude(keywords="")
    for rule in rules.prefetch_related("platforms", "problem_types"):
        if not rule.keyword_list or not keyword_found(rule.keyword_list, text):
            continue
        platforms, problem_types = list(rule.platforms.all()), list(rule.problem_types.all())
        if platform_id is None and len(platforms) == 1:
            platform_id = platforms[0].pk
        if problem_type_id is None and len(problem_types) == 1:
            problem_type_id = problem_types[0].pk
    platform = Platform.objects.get(pk=platform_id) if platform_id else Platform.objects.get(slug="other")
    problem_type = (
        ProblemType.objects.get(pk=problem_type_id)
        if problem_type_id
        else ProblemType.objects.get(slug="other")
    )
    return platform, problem_type


def ticket_from_mail(
    *,
    message: InboundMessage,
    parsed: Parsed,
    sender: User | None,
    body: str,
    files: list[SimpleUploadedFile],
    why: str = "",
) -> None:
    """File the message as a ticket where the mailbox takes its sender; otherwise hold it.

    `why` says why a message that answers a ticket is filed anew instead (for the held reason).
    """
    mailbox = message.mailbox
    if sender is not None and mailbox.senders == Mailbox.Senders.EMPLOYEES and _is_contact(sender):
        # An outside contact replies on their own tickets anywhere, but files only where anyone may.
        sender = None
    if sender is None and mailbox.senders == Mailbox.Senders.ANYONE:
        sender = contact_for(mailbox=mailbox, address=parsed.sender, name=parsed.sender_name)
    if sender is None:
        raise Held(
            f"{why}{parsed.sender} has no account and {mailbox} takes mail from employees only: "
            "no ticket was filed.",
            auto_reply_to=parsed.sender,
        )
    subject = (parsed.subject or "(no subject)")[: Ticket._meta.get_field("subject").max_length]
    platform, problem_type = classified(f"{subject}\n{body}")
    copied = {address for address in parsed.copied if address != parsed.sender}
    if copied:
        copied -= set(Mailbox.objects.filter(address__in=copied).values_list("address", flat=True))
    participants = list(User.objects.filter(email__in=copied, is_active=True)) if copied else []
    try:
        ticket = ticket_file(
            requester=sender,
            platform=platform,
            problem_type=problem_type,
            subject=subject,
            description=body,
            files=files,
            emailed_to=mailbox.queue,
            participants=participants,
        )
    except (ValidationError, PermissionDenied) as refusal:
        raise Held(f"{why}The request was refused: {_refusal(refusal)}") from refusal
    message.status, message.ticket = Status.TICKET, ticket
    if why:
        message.reason = f"{why}it was filed as a new request."
