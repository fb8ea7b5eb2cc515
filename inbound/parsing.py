"""Raw mail to what the desk needs: who wrote, about what, the text, the files.

Python's email package with the modern policy decodes RFC 2047 headers and RFC 2231 file
names; bodies are decoded here, leniently, because real mail declares charsets it does not
use or that do not exist. HTML is only ever turned into plain text, never kept as markup.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses

from notifications.emails import loop_marker

from .html_text import html_to_text

# Automatic mail (RFC 3834) and list mail never become tickets or replies.
BULK_PRECEDENCE = {"bulk", "list", "junk"}
DAEMON_SENDERS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification (RFC 3464): which of our emails failed, and why."""

    message_ids: list[str]
    reason: str


@dataclass
class Parsed:
    message_id: str
    sender: str
    subject: str
    body: str
    references: list[str]
    attachments: list[Attachment] = field(default_factory=list)
    automatic: str = ""
    sender_name: str = ""
    # Every address it was sent to (To, Cc and what the mail server says it delivered to).
    recipients: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    bounce: Bounce | None = None


def message_key(raw: bytes) -> str:
    """The Message-ID when it has a usable one, else a digest of the bytes."""
    try:
        found = MESSAGE_ID.search(str(_headers_only(raw).get("Message-ID", "")))
    except Exception:  # any header the parser chokes on leaves the digest
        found = None
    if found and len(found.group()) <= 250:
        return found.group()
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _headers_only(raw: bytes) -> Message:
    return BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)


def parse(raw: bytes) -> Parsed:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    senders = getaddresses(_raw_values(message, "From"))
    sender = senders[0][1].strip().lower() if senders else ""
    references = MESSAGE_ID.findall(f"{message.get('In-Reply-To', '')} {message.get('References', '')}")
    body, attachments = _content(message)
    copied = _addresses(message, "To", "Cc")
    return Parsed(
        message_id=message_key(raw),
        sender=sender,
        subject=" ".join(str(message.get("Subject", "")).split()),
        body=body,
        references=references,
        attachments=attachments,
        automatic=_automatic(message, sender),
        sender_name=_decoded(senders[0][0]) if senders else "",
        recipients=_addresses(message, "Delivered-To", "X-Original-To", "Envelope-To") + copied,
        copied=copied,
        bounce=_bounce(message),
    )


def _raw_values(message: EmailMessage, *headers: str) -> list[str]:
    """Header values as they came, unfolded: the modern policy refuses an address header whose
    decoded display name holds a line break, and that mail must still be read."""
    wanted = {header.lower() for header in headers}
    return [
        re.sub(r"\r?\n[ \t]", " ", str(value))
        for name, value in message.raw_items()
        if name.lower() in wanted
    ]


def _decoded(text: str) -> str:
    """An RFC 2047 display name as one line of text."""
    with contextlib.suppress(LookupError, UnicodeDecodeError, HeaderParseError):  # else kept as it came
        text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def _addresses(message: EmailMessage, *headers: str) -> list[str]:
    values = _raw_values(message, *headers)
    return [address.strip().lower() for _, address in getaddresses(values) if "@" in address]


def _bounce(message: EmailMessage) -> Bounce | None:
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    ids: list[str] = []
    reason = ""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            fields = "\n".join(str(block) for block in part.get_payload()) if part.is_multipart() else ""
            status = re.search(r"^Status:\s*(\S+)", fields, re.MULTILINE | re.IGNORECASE)
            diagnostic = re.search(r"^Diagnostic-Code:\s*(.+)$", fields, re.MULTILINE | re.IGNORECASE)
            recipient = re.search(
                r"^Final-Recipient:\s*(?:rfc822;)?\s*(\S+)", fields, re.MULTILINE | re.IGNORECASE
            )
            reason = " ".join(
                bit
                for bit in (
                    recipient and f"to {recipient.group(1)}",
                    status and f"status {status.group(1)}",
                    diagnostic and diagnostic.group(1).strip(),
                )
                if bit
            )
        elif content_type in ("message/rfc822", "text/rfc822-headers"):
            headers = part_text(part) if content_type == "text/rfc822-headers" else _inner_headers(part)
            found = re.search(r"^Message-ID:\s*(<[^<>\s]+>)", headers, re.MULTILINE | re.IGNORECASE)
            if found:
                ids.append(found.group(1))
    return Bounce(message_ids=ids, reason=reason or "the mail server gave no reason")


def _inner_headers(part: Message) -> str:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else payload
    return (
        "".join(f"{name}: {value}\n" for name, value in inner.items()) if isinstance(inner, Message) else ""
    )


def _automatic(message: EmailMessage, sender: str) -> str:
    """Why the message is automatic or bulk mail, or "" when a person wrote it."""
    if any(loop_marker() in str(value).lower() for value in message.get_all("X-Loop", [])):
        return "our own mail (X-Loop)"
    submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    if message.get("List-Id"):
        return "mailing-list mail (List-Id)"
    if str(message.get("Return-Path", "")).strip() == "<>":
        return "null sender (Return-Path: <>)"
    if not sender:
        return "no sender address"
    if DAEMON_SENDERS.match(sender):
        return f"sent by {sender}"
    return ""


def _content(message: EmailMessage) -> tuple[str, list[Attachment]]:
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        text = part_text(body_part)
        body = html_to_text(text) if body_part.get_content_subtype() == "html" else text
    attachments = []
    for number, part in enumerate(_files(message, body_part), start=1):
        attachment = _attachment(part, number)
        if attachment is not None:
            attachments.append(attachment)
    return _tidy(body), attachments


def _files(part: MIMEPart, body_part: Message | None) -> list[MIMEPart]:
    """Every part that is a file: inline images included, an attached .eml as one file."""
    if part is body_part:
        return []
    if part.get_content_type() == "message/rfc822":
        return [part]
    if part.is_multipart():
        return [file for child in part.iter_parts() for file in _files(child, body_part)]
    if (
        part.get_content_maintype() == "text"
        and not part.get_filename()
        and part.get_content_disposition() != "attachment"
    ):
        # The other rendering of the body (the HTML beside the plain text), not a file.
        return []
    return [part]


def _attachment(part: MIMEPart, number: int) -> Attachment | None:
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) else payload
        if isinstance(inner, Message):
            content = inner.as_bytes(policy=policy.default)
            subject = " ".join(str(inner.get("Subject", "")).split())
        else:
            content, subject = str(inner).encode(), ""
        return Attachment(
            name=safe_name(f"{subject or 'message'}.eml"), content_type=content_type, content=content
        )
    decoded = part.get_payload(decode=True)
    if not isinstance(decoded, bytes):
        return None
    content = decoded
    name = part.get_filename()
    if not name:
        name = f"attachment-{number}{mimetypes.guess_extension(content_type) or '.bin'}"
    return Attachment(name=safe_name(name), content_type=content_type, content=content)


def safe_name(name: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", str(name)).replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = name.lstrip(".") or "attachment"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(name) > 200:
        return stem[: 199 - len(suffix)] + "." + suffix
    return name[:200]


def part_text(part: Message) -> str:
    """A text part's characters, whatever charset it claims: the declared one, then UTF-8, then Windows' Latin."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    declared = part.get_content_charset() or "us-ascii"
    for charset in (declared, "utf-8"):
        try:
            codecs.lookup(charset)
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("windows-1252", errors="replace")


def _tidy(text: str) -> str:
    # PostgreSQL's text never holds NUL, which broken mail may carry.
    text = text.replace("\x00", "")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
