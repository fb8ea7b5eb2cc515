"""`python -m bench.generate`: sizes as people write them, and a clear refusal otherwise."""

from __future__ import annotations

import pytest

from bench.generate import arguments


@pytest.mark.parametrize(
    ("written", "tickets"),
    [("10000", 10_000), ("10_000", 10_000), ("10k", 10_000), ("1M", 1_000_000), ("2.5m", 2_500_000)],
)
def test_sizes_read_as_people_write_them(written: str, tickets: int) -> None:
    assert arguments(["--tickets", written]).tickets == tickets


def test_a_size_that_is_not_a_number_says_what_to_write(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        arguments(["--tickets", "lots"])

    assert exit_.value.code == 2
    assert "“lots” is not a number of tickets such as 10000, 10k or 1M." in capsys.readouterr().err
