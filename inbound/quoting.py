"""What the person wrote this time: the quoted history and the signature cut from a reply.

Mail clients mark the quote their own way: Gmail and Apple Mail with "On … wrote:" and `>`
lines, Outlook with a "From: … Sent: …" block or "-----Original Message-----", many with a
"-- " signature line. The cut starts at the first such marker after some text of the person's
own; when nothing would be left, the text stays whole. The full text is kept with the message.
"""

from __future__ import annotations

import re

ATTRIBUTION = re.compile(
    r"^(On\b.{0,300}\bwrote:|Am\b.{0,300}\bschrieb\b.*:|Le\b.{0,300}\ba écrit\s*:|El\b.{0,300}\bescribió:)\s*$",
    re.IGNORECASE,
)
OUTLOOK_HEADERS = re.compile(r"^\*?(From|Von|De)\*?:\s.+$", re.IGNORECASE)
OUTLOOK_NEXT = re.compile(r"^\*?(Sent|Date|Gesendet|Envoyé|To|An)\*?:\s", re.IGNORECASE)
SEPARATORS = re.compile(
    r"^(-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}|_{10,}|-- ?|"
    r"Sent from my \w+.*|Get Outlook for \w+.*|Envoyé de mon \w+.*)$",
    re.IGNORECASE,
)


def reply_text(text: str) -> tuple[str, bool]:
    """The new part of the text, and whether anything was cut."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not "".join(lines[:number]).strip():
            continue  # a quote before any text of their own is all there is: keep it
        if (
            stripped.startswith(">")
            or ATTRIBUTION.match(stripped)
            or _attribution_wrapped(lines, number)
            or SEPARATORS.match(line.rstrip())
            or (OUTLOOK_HEADERS.match(stripped) and _next_is_outlook_header(lines, number))
        ):
            return "\n".join(lines[:number]).rstrip(), True
    return text, False


def _attribution_wrapped(lines: list[str], number: int) -> bool:
    # Gmail wraps a long "On Tue, … <address>\nwrote:" over two lines.
    if number + 1 >= len(lines):
        return False
    return bool(re.match(r"^On\b", lines[number].strip())) and bool(
        ATTRIBUTION.match(f"{lines[number].strip()} {lines[number + 1].strip()}")
    )


def _next_is_outlook_header(lines: list[str], number: int) -> bool:
    return any(OUTLOOK_NEXT.match(line.strip()) for line in lines[number + 1 : number + 4])
