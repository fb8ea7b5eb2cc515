"""Read one message on standard input into a mailbox, for a mail server's pipe.

Exit codes follow sysexits.h, which Postfix and Exim read: 0 once the message is recorded
(even if it could not be processed: it is kept for a retry), 67 for an unknown mailbox, and
75 (temporary failure) when the database is away, so the mail server keeps the message and
tries again later.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError

from inbound.models import Mailbox
from inbound.services import message_receive

EX_NOUSER = 67
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Receive one email message from standard input into a mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", required=True, help="The mailbox's slug, as set in the admin.")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        try:
            mailbox = Mailbox.objects.filter(slug=options["mailbox"], is_active=True).first()
            if mailbox is None:
                self.stderr.write(f"No active mailbox is named {options['mailbox']!r}.")
                sys.exit(EX_NOUSER)
            message = message_receive(mailbox=mailbox, raw=raw)
        except (OperationalError, InterfaceError) as error:
            self.stderr.write(f"The database is unavailable; try again later: {error}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"{message.key}: {message.get_status_display()}")
