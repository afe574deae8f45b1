"""Look for regular expressions of the package whose search time grows faster than the text.

Every compiled pattern at module level in ``citecheck`` is run (``finditer`` to the end, ``match``
at the start) over hostile strings built from short units ("a", "a/", "Smith, ", "* ", "(", "1",
"A. ", "\\n", ...) at two lengths, and a pattern whose time grows
more than ``--ratio`` times when the length doubles is printed with the unit: on a linear pattern
the ratio is about 2, on a quadratic one about 4. Nothing is asserted; the exit code is 1 when a
pattern looks superlinear, so the script can gate a change.

    python3 benchmarks/regexes.py                   # every pattern, 5,000 and 10,000 characters
    python3 benchmarks/regexes.py --length 2000 --ratio 3
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys
import time
from collections.abc import Iterator, Sequence

import citecheck

UNITS = (
    "a", "a/", "a ", "A", "Aa ", "1", "12 ", "1-", "(", ")", "[", "{", "(a", "a,", ", ", ";", ".", ". ", "A. ",
    "Smith, ", "Smith ", "Smith and ", "Smith & ", "et al. ", "* ", "\n", "\n\n", " \n", "a\n", "`", "~", "@",
    "@a ", "\\a", "\\a{", "%", "/", "//", "-", "–", "'", "’", "“", "_", "__", "\t", "é", "2019", "(2019) ",
    "https://a.b/", "doi:", "10.1/", "p. ", "pp. 1–", "In ", "van ", "de ", "A.B.", "a.b.", ":", "a:",
)  # fmt: skip


def patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """(module.NAME, pattern) for every compiled ``str`` pattern at module level in the package."""
    for info in pkgutil.walk_packages(citecheck.__path__, "citecheck."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional reader whose library is not installed
            continue
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                yield f"{info.name}.{name}", value


def cost(pattern: re.Pattern[str], text: str) -> float:
    """Seconds to run ``finditer`` over ``text`` (every place a search would try) and ``match`` at its start."""
    start = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    pattern.match(text)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--length", type=int, default=5_000, help="characters of the shorter text (the longer is twice)")
    p.add_argument("--ratio", type=float, default=3.0, help="growth on doubling above which a pattern is printed")
    p.add_argument("--floor", type=float, default=0.05, help="seconds below which the longer run is not judged (noise)")
    args = p.parse_args(argv)
    found = 0
    seen = set()
    for name, pattern in patterns():
        if id(pattern) in seen:  # one pattern imported into several modules
            continue
        seen.add(id(pattern))
        for unit in UNITS:
            short = unit * (args.length // len(unit))
            small, large = cost(pattern, short), cost(pattern, short * 2)
            if large > args.floor and large > args.ratio * max(small, 1e-6):
                found += 1
                print(f"{name}: {unit!r} x{args.length // len(unit)}: {small:.3f} s, doubled {large:.3f} s", flush=True)
                break  # one shape is enough to look at the pattern
    print(f"{len(seen)} patterns, {len(UNITS)} units: {found} superlinear")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
