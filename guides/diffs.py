"""What changed between two revisions of a guide, as data the template escapes.

The body is compared line by line; a changed line is compared again word by word, so a fixed
typo shows as one word struck out and one put in. Long unchanged stretches fold to a count.
Nothing here builds HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .models import GuideRevision

CONTEXT_LINES = 2
# Lines at least this alike are one line edited, compared word by word.
SIMILAR = 0.5
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str = "same"  # "same", "added" or "removed"


@dataclass
class Line:
    kind: str  # "same", "added", "removed" or "folded"
    old_number: int | None = None
    new_number: int | None = None
    pieces: list[Piece] = field(default_factory=list)
    folded: int = 0  # how many unchanged lines a "folded" line stands for


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RevisionDiff:
    fields: list[FieldChange]
    lines: list[Line]
    added: int
    removed: int

    @property
    def body_changed(self) -> bool:
        return self.added > 0 or self.removed > 0


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Changed words with only spaces between them read as one change, not a row of fragments."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and piece.kind == merged[-1].kind:
            merged[-1] = Piece(merged[-1].text + piece.text, piece.kind)
        elif (
            len(merged) >= 2
            and piece.kind != "same"
            and merged[-1].kind == "same"
            and not merged[-1].text.strip()
            and merged[-2].kind == piece.kind
        ):
            space = merged.pop()
            merged[-1] = Piece(merged[-1].text + space.text + piece.text, piece.kind)
        else:
            merged.append(piece)
    return merged


def _word_pieces(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    before: list[Piece] = []
    after: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text = "".join(old_words[i1:i2])
            before.append(Piece(text))
            after.append(Piece(text))
            continue
        if i2 > i1:
            before.append(Piece("".join(old_words[i1:i2]), "removed"))
        if j2 > j1:
            after.append(Piece("".join(new_words[j1:j2]), "added"))
    return _merged(before), _merged(after)


def _similar(old: str, new: str) -> bool:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _pairs(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Which old line became which new one in a changed stretch, in order; the rest stand alone."""
    pairs: list[tuple[int | None, int | None]] = []
    start = 0
    for i, line in enumerate(old):
        match = next((j for j in range(start, len(new)) if _similar(line, new[j])), None)
        if match is None:
            pairs.append((i, None))
            continue
        pairs.extend((None, j) for j in range(start, match))
        pairs.append((i, match))
        start = match + 1
    pairs.extend((None, j) for j in range(start, len(new)))
    return pairs


def body_diff(old: str, new: str) -> list[Line]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[Line] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(_unchanged(old_lines, i1, i2, j1, first=not lines, last=i2 == len(old_lines)))
            continue
        for i, j in _pairs(old_lines[i1:i2], new_lines[j1:j2]):
            if i is not None and j is not None:
                before, after = _word_pieces(old_lines[i1 + i], new_lines[j1 + j])
                lines.append(Line("removed", old_number=i1 + i + 1, pieces=before))
                lines.append(Line("added", new_number=j1 + j + 1, pieces=after))
            elif i is not None:
                lines.append(
                    Line("removed", old_number=i1 + i + 1, pieces=[Piece(old_lines[i1 + i], "removed")])
                )
            elif j is not None:
                lines.append(Line("added", new_number=j1 + j + 1, pieces=[Piece(new_lines[j1 + j], "added")]))
    return lines


def _unchanged(old_lines: list[str], i1: int, i2: int, j1: int, *, first: bool, last: bool) -> list[Line]:
    def same(i: int) -> Line:
        return Line("same", old_number=i + 1, new_number=j1 + (i - i1) + 1, pieces=[Piece(old_lines[i])])

    keep_before = 0 if first else CONTEXT_LINES
    keep_after = 0 if last else CONTEXT_LINES
    if i2 - i1 <= keep_before + keep_after + 1:
        return [same(i) for i in range(i1, i2)]
    head = [same(i) for i in range(i1, i1 + keep_before)]
    tail = [same(i) for i in range(i2 - keep_after, i2)]
    return [*head, Line("folded", folded=i2 - i1 - keep_before - keep_after), *tail]


def _facts(revision: GuideRevision | None) -> dict[str, str]:
    if revision is None:
        return {}
    return {
        "Title": revision.title,
        "Summary": revision.summary,
        "Topic": revision.get_topic_display(),
        "Audience": revision.get_audience_display(),
        "Status": revision.get_status_display(),
        "Platforms": revision.platforms or "—",
        "Owner": revision.owner_name or "—",
        "Review by": revision.review_by.isoformat() if revision.review_by else "—",
    }


def revision_diff(previous: GuideRevision | None, revision: GuideRevision) -> RevisionDiff:
    """How `revision` differs from the one before it (None: the guide was created)."""
    before, after = _facts(previous), _facts(revision)
    fields = [
        FieldChange(label, before.get(label, ""), value)
        for label, value in after.items()
        if before.get(label, "") != value
    ]
    lines = body_diff(previous.body if previous else "", revision.body)
    return RevisionDiff(
        fields=fields,
        lines=lines,
        added=sum(1 for line in lines if line.kind == "added"),
        removed=sum(1 for line in lines if line.kind == "removed"),
    )
