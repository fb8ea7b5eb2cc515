"""The macros a desk starts with, shared with the three queues; `manage.py seed` adds the
missing ones and leaves edited ones alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from checklists.models import ChecklistTemplate
from checklists.reference_data import HACKED
from guides.models import Guide
from tickets.models import Queue, Ticket

from .models import Macro

S = Ticket.Status
P = Ticket.Priority


@dataclass(frozen=True)
class Starter:
    queue: str
    name: str
    reply: str
    note: str = ""
    status: str = ""
    priority: int | None = None
    assign: str = ""
    guide: str = ""  # a starter guide's slug
    checklist: str = ""


STARTERS: list[Starter] = [
    Starter(
        "it",
        "Password reset steps",
        "Hello {{first_name}},\n\n"
        "To get back into the account:\n"
        "1. Open the platform's sign-in page and choose “Forgot password”.\n"
        "2. Enter the company address the account is registered with; the reset mail goes to that mailbox.\n"
        "3. Choose a long password you have never used and keep it only in the company password manager.\n"
        "4. Sign in and check that the second factor is still on.\n\n"
        "If the reset mail doesn't arrive within ten minutes, reply here and we will reset it for you.\n\n"
        "{{agent}}, {{queue}} ({{reference}})",
        status=S.WAITING_REQUESTER,
        assign="me",
    ),
    Starter(
        "it",
        "Network exception request received",
        "Hello {{first_name}},\n\n"
        "We have your request to reach a social site from the office network. The proxy blocks these "
        "sites by default; we open them for the people who run the company's pages once their manager "
        "agrees. We have asked for that and will tell you here as soon as it is done.\n\n"
        "Why the block exists: {{guide_link}}\n\n{{agent}}, {{queue}}",
        note="Exception requested: check the requester's role with their manager before opening the proxy.",
        status=S.WAITING_THIRD_PARTY,
        assign="me",
        guide="why-a-social-site-is-blocked-at-work",
    ),
    Starter(
        "it",
        "Blog error: need the page address",
        "Hello {{first_name}},\n\n"
        "Thank you for telling us. To find the error quickly, please reply with the page's full address, "
        "the time you saw it, and a screenshot if you can.\n\n"
        "What to check meanwhile: {{guide_link}}\n\n{{agent}} ({{reference}})",
        status=S.WAITING_REQUESTER,
        guide="the-blog-shows-an-error-or-a-broken-page",
    ),
    Starter(
        "it",
        "Hacked account: securing it now",
        "Hello {{first_name}},\n\n"
        "We are securing the account now. Please don't post from it or sign in to it until we tell you "
        "it is safe; we will update you here within the hour.\n\n"
        "What happens in the first minutes: {{guide_link}}\n\n{{agent}}, {{queue}}",
        priority=P.URGENT,
        assign="me",
        guide="the-first-fifteen-minutes-after-an-account-is-hacked",
        checklist=HACKED,
    ),
    Starter(
        "marketing",
        "Post approved",
        "Hello {{first_name}},\n\n"
        "Your post is approved as written. Publish it when it suits you; tag the company page so we can "
        "share it.\n\n{{agent}}, {{queue}} ({{reference}})",
        status=S.RESOLVED,
    ),
    Starter(
        "marketing",
        "Post needs changes",
        "Hello {{first_name}},\n\n"
        "Thank you for sending the post first. Before it goes out, please change the points below and "
        "send it back here:\n\n- \n\n"
        "Our guidance on posting about work: {{guide_link}}\n\n{{agent}}, {{queue}}",
        status=S.WAITING_REQUESTER,
        guide="posting-about-work-on-your-own-accounts",
    ),
    Starter(
        "communications",
        "Policy question answered",
        "Hello {{first_name}},\n\n"
        "The short answer is below; the whole policy is here: {{guide_link}}\n\n\n\n"
        "If your case is different, reply and we will look at it together.\n\n{{agent}}, {{queue}}",
        status=S.RESOLVED,
        guide="social-media-policy",
    ),
    Starter(
        "communications",
        "Complaint on the company page: taking it",
        "Hello {{first_name}},\n\n"
        "Thank you for flagging it. We are taking over the reply to this complaint; please don't answer it "
        "yourself. We will tell you here what we said.\n\n{{agent}}, {{queue}} ({{reference}})",
        note="Read the thread in full before replying; check whether it needs a holding statement.",
        priority=P.HIGH,
        assign="me",
        guide="before-replying-to-a-complaint-on-the-company-page",
    ),
]


@transaction.atomic
def macros_load() -> int:
    """Add the starter macros that are missing; returns how many were added."""
    queues = {queue.slug: queue for queue in Queue.objects.filter(slug__in={s.queue for s in STARTERS})}
    guides = {
        guide.slug: guide for guide in Guide.objects.filter(slug__in={s.guide for s in STARTERS if s.guide})
    }
    checklists = {
        c.name: c for c in ChecklistTemplate.objects.filter(name__in={s.checklist for s in STARTERS})
    }
    existing = set(Macro.objects.filter(queue__in=queues.values()).values_list("queue__slug", "name"))
    added = 0
    for starter in STARTERS:
        queue = queues.get(starter.queue)
        if queue is None or (starter.queue, starter.name) in existing:
            continue
        guide = guides.get(starter.guide)
        if starter.guide and guide is None:
            continue  # its guide was removed: the text would point nowhere
        macro = Macro(
            name=starter.name,
            queue=queue,
            reply=starter.reply,
            note=starter.note,
            set_status=starter.status,
            set_priority=starter.priority,
            assign=starter.assign,
            guide=guide,
            checklist=checklists.get(starter.checklist),
        )
        macro.full_clean()
        macro.save()
        added += 1
    return added
