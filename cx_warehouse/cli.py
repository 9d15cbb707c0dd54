"""Command-line helpers shared by scripts/: one-line errors that name the argument and the fix.

Every script builds its parser with `Parser` and types its arguments with the factories below.
argparse then reports a bad value as one line on stderr, `prog: error: argument --amount: 'nan'
is not an amount: give a number such as 40 or 39.90`, and exits with status 2: no usage dump, no
traceback, for `nan`, `inf`, negative counts, impossible dates and missing files alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, NoReturn

#: Exit status of a bad argument (argparse's own).
EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (subparsers inherit it)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message.splitlines()[0]} (see --help)\n")
        sys.exit(EXIT_USAGE)


def fail(prog: str, message: str, code: int = EXIT_USAGE) -> int:
    """Print one error line and return the exit status (for checks after parsing)."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    return code


def integer(minimum: int | None = None, maximum: int | None = None,
            example: int | None = None) -> Callable[[str], int]:
    """A whole number within [minimum, maximum]."""
    bounds = (f" between {minimum} and {maximum}" if minimum is not None and maximum is not None
              else f" of at least {minimum}" if minimum is not None
              else f" of at most {maximum}" if maximum is not None else "")
    hint = f", e.g. {example}" if example is not None else ""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number: give one{bounds}{hint}") from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"{text!r} is out of range: give a whole number"
                                             f"{bounds}{hint}")
        return value

    return parse


def number(minimum: float | None = None, positive: bool = False, maximum: float | None = None,
           example: float | None = None) -> Callable[[str], float]:
    """A finite number (nan and inf refused); > 0 when positive, else >= minimum."""
    bounds = (" greater than 0" if positive else
              f" of at least {minimum:g}" if minimum is not None else "")
    if maximum is not None:
        bounds += f" and at most {maximum:g}"
    hint = f", e.g. {example:g}" if example is not None else ""

    def parse(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a number: give one{bounds}{hint}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a finite number: give one{bounds}{hint}")
        if ((positive and value <= 0) or (minimum is not None and value < minimum)
                or (maximum is not None and value > maximum)):
            raise argparse.ArgumentTypeError(f"{text!r} is out of range: give a number"
                                             f"{bounds}{hint}")
        return value

    return parse


def amount(text: str) -> Decimal:
    """A finite, non-negative amount of money; `$1,234.50` is read as 1234.50."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an amount: give a number such as 40 or 39.90")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: an amount cannot be negative; give e.g. 40")
    if value >= Decimal("1e10"):
        raise argparse.ArgumentTypeError(f"{text!r} is too large for an amount; give e.g. 40")
    return value


def date(text: str) -> dt.date:
    """A real calendar day in YYYY-MM-DD form (2026-02-30 is refused)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day: use YYYY-MM-DD with a real date, e.g. 2026-03-10"
        ) from None


def existing_file(text: str) -> Path:
    """A path to a file that exists."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: no such file; give the path of an existing "
                                         "file")
    return path


def existing_dir(text: str) -> Path:
    """A path to a folder that exists."""
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: no such folder; give an existing folder")
    return path
