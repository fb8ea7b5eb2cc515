"""The revision diff: line by line, word by word inside an edited line, unchanged stretches folded."""

from __future__ import annotations

from guides.diffs import CONTEXT_LINES, body_diff


def kinds(old: str, new: str) -> list[str]:
    return [line.kind for line in body_diff(old, new)]


def test_an_edited_line_is_compared_word_by_word() -> None:
    removed, added = body_diff("Reload once, then try again.", "Reload the page once, then try again.")

    assert [(p.kind, p.text) for p in removed.pieces] == [("same", "Reload once, then try again.")]
    assert [(p.kind, p.text) for p in added.pieces] == [
        ("same", "Reload"),
        ("added", " the page"),
        ("same", " once, then try again."),
    ]


def test_a_new_line_before_an_edited_one_stands_alone() -> None:
    lines = body_diff(
        "Intro\n1. Reload once.\nEnd", "Intro\nNote the time first.\n1. Reload the page once.\nEnd"
    )

    assert [(line.kind, line.old_number, line.new_number) for line in lines] == [
        ("same", 1, 1),
        ("added", None, 2),
        ("removed", 2, None),
        ("added", None, 3),
        ("same", 3, 4),
    ]
    assert lines[1].pieces[0].kind == "added"


def test_long_unchanged_stretches_fold_to_a_count() -> None:
    same = "\n".join(f"line {n}" for n in range(30))

    lines = body_diff(f"{same}\nold end", f"{same}\nnew end")

    assert lines[0].kind == "folded" and lines[0].folded == 30 - CONTEXT_LINES
    assert kinds(f"{same}\nold end", f"{same}\nnew end")[-2:] == ["removed", "added"]


def test_the_first_revision_is_all_added() -> None:
    assert kinds("", "One\nTwo") == ["added", "added"]


def test_markup_in_the_text_stays_text() -> None:
    (added,) = body_diff("", "<script>alert(1)</script>")

    assert added.pieces[0].text == "<script>alert(1)</script>"
