"""Time the audit on hostile shapes of about 1 MB each: inputs built to make a parser backtrack or a
stage go quadratic.

Each shape is written into a temporary folder as the file a user would give (Markdown, text, LaTeX
with its .bib, a .bib alone) and audited by ``citecheck audit --format json -o OUT`` in a fresh
process, killed after ``--timeout`` seconds, ``--repeats`` times (3). The table gives the median wall
and CPU time of those runs, the fastest run's CPU time, the median CPU time per MB and the largest
peak memory: a busy machine slows a run, it never speeds one up. Nothing is asserted (the exit code
is 1 only when an audit crashed, exit 3, or was killed; 2 is a refusal, such as a bibliography past
its entry limit).

    python3 benchmarks/hostile.py                 # every shape at 1 MB
    python3 benchmarks/hostile.py --mb 0.25 slash-entry code-fences
    python3 benchmarks/hostile.py --write DIR     # only write the inputs
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import compile_package  # noqa: E402  (make bench's, written once)

MB = 1_000_000
ENTRY = "Smith, J. (2019). Repetition in manuscripts. *Journal of Stress Tests*, 4(2), 10–20.\n"
LIST = "\n\n## References\n\n" + ENTRY
BODY = "Repetition has been studied before (Smith, 2019, p. 12).\n\n"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def slash_entry(size: int) -> dict[str, str]:
    """One reference entry holding ``a/a/a/...`` and then more text."""
    return {"paper.md": BODY + LIST + "\nJones, K. (2020). " + _repeat("a/", size) + "b. Journal, 1, 2–3.\n"}


def url_segments(size: int) -> dict[str, str]:
    """Entries each holding a real-looking URL of 500 path segments."""
    url = "https://example.org/" + "/".join(f"seg{i}" for i in range(500))
    entry = f"Jones, K. (2020). A page. Retrieved from {url}\n\n"
    return {"paper.md": BODY + LIST + "\n" + _repeat(entry, size)}


def urls_in_authors(size: int) -> dict[str, str]:
    """An author list of hundreds of URLs, entry after entry."""
    entry = ", ".join(f"https://example.org/p{i}" for i in range(300)) + " (2020). Title. Journal, 1, 2–3.\n\n"
    return {"paper.md": BODY + LIST + "\n" + _repeat(entry, size)}


def star_runs(size: int) -> dict[str, str]:
    """Entries whose author list is a run of ``* `` (a broken bullet list)."""
    entry = "* " * 400 + "(2020). Title. Journal, 1, 2–3.\n\n"
    return {"paper.md": BODY + LIST + "\n" + _repeat(entry, size)}


def _word(i: int) -> str:
    """A capitalised word of its own for each number: "Ba", "Be", ..., "Baba"."""
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    out = ""
    while True:
        out += syllables[i % len(syllables)]
        i //= len(syllables)
        if not i:
            return out.capitalize()


def group_authors_unknown(size: int) -> dict[str, str]:
    """Citations of group authors, none of them listed, against a list of 2,000 other group authors."""
    refs = "".join(f"Agency for {_word(i)} Research. (2019). Report {i}. Geneva.\n\n" for i in range(2000))
    body = "".join(f"As reported (Council of {_word(i % 9000)} Studies, 2019). " for i in range(size // 50))
    return {"paper.md": body + "\n\n## References\n\n" + refs}


def misspelt_one_year(size: int) -> dict[str, str]:
    """Thousands of citations of misspelt surnames, all of one year, against a list of that year."""
    names = [f"Sur{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)}name" for i in range(3000)]
    refs = "".join(f"{n}, J. (2019). Title {i}. Journal, 1, 2–3.\n\n" for i, n in enumerate(names))
    cite = "Shown before ({}x, 2019). "
    count = max(1, (size - len(refs)) // len(cite.format(names[0][:-1])))  # the whole about ``size``
    body = "".join(cite.format(names[i % 3000][:-1]) for i in range(count))
    return {"paper.md": body + "\n\n## References\n\n" + refs}


def repeated_heading(size: int) -> dict[str, str]:
    """A heading and one entry, again and again."""
    return {"paper.md": BODY + _repeat("## References\n\n" + ENTRY + "\n", size)}


def code_fences(size: int) -> dict[str, str]:
    """Markdown code fences of decreasing length: none closes the one before."""
    out, n = [], 3
    while sum(len(x) for x in out) < size:
        out.append("`" * n + "\n" + BODY)
        n += 1
    return {"paper.md": "".join(reversed(out)) + LIST}


def undefined_keys(size: int) -> dict[str, str]:
    """Pandoc Markdown citing thousands of keys that the .bib does not define, against as many entries."""
    n = max(1, size // 101)  # an entry of about 80 characters and a citation of about 20 for each key
    bib = "".join(f"@article{{key{i},\n  author = {{Smith, J.}},\n  title = {{T{i}}},\n  year = {{2019}}\n}}\n" for i in range(n))
    body = "".join(f"Seen [@missing{i}]. " for i in range(n))
    return {"paper.md": "---\nbibliography: refs.bib\n---\n\n" + body + "\n", "refs.bib": bib}


def doi_line_breaks(size: int) -> dict[str, str]:
    """A DOI cut by thousands of line breaks."""
    return {
        "paper.md": BODY + LIST + "\nJones, K. (2020). Title. Journal, 1, 2–3. https://doi.org/10.1000/" + _repeat("ab\n", size)
    }


def big_bib(size: int) -> dict[str, str]:
    """A LaTeX paper with a .bib of many entries (100,000 in about 16 MB): every entry read and checked."""
    n = size // 160
    bib = "".join(
        f"@article{{key{i},\n  author = {{Smith{i}, John and Jones, Kate}},\n  title = {{Title number {i}}},\n"
        f"  journal = {{Journal}},\n  year = {{2019}},\n  pages = {{1--10}}\n}}\n"
        for i in range(n)
    )
    return {"paper.tex": "Seen \\citep{key1}.\n\\bibliography{refs}\n", "refs.bib": bib}


SHAPES: dict[str, Callable[[int], dict[str, str]]] = {
    "slash-entry": slash_entry,
    "url-segments": url_segments,
    "urls-in-authors": urls_in_authors,
    "star-runs": star_runs,
    "group-authors-unknown": group_authors_unknown,
    "misspelt-one-year": misspelt_one_year,
    "repeated-heading": repeated_heading,
    "code-fences": code_fences,
    "undefined-keys": undefined_keys,
    "doi-line-breaks": doi_line_breaks,
    "big-bib": big_bib,
}


def write(directory: Path, name: str, size: int) -> Path:
    """Write shape ``name`` into ``directory/name/``; the manuscript's path."""
    folder = directory / name
    folder.mkdir(parents=True, exist_ok=True)
    files = SHAPES[name](size)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder / next(iter(files))


def run(path: Path, timeout: float) -> tuple[float, float, int, int | None]:
    """Wall seconds, CPU seconds (user and system: what a busy machine changes least), peak RSS
    (bytes) and exit code (None when killed) of one audit in a fresh process."""
    out = path.parent / "report.json"
    cmd = [sys.executable, "-m", "citecheck", "audit", "--format", "json", "--fail-on", "never", str(path), "-o", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory, which Popen.wait would not give
    timer.cancel()
    seconds = time.perf_counter() - start
    code = None if os.WIFSIGNALED(status) else os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, code


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("shapes", nargs="*", choices=[*SHAPES, []], metavar="SHAPE", help=f"any of {', '.join(SHAPES)}")
    p.add_argument("--mb", type=float, default=1.0, help="size of each shape in MB (default 1)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before an audit is killed")
    p.add_argument("--repeats", type=int, default=3, help="audits of each shape, each in a fresh process (default 3)")
    p.add_argument("--write", type=Path, metavar="DIR", help="write the inputs into DIR and stop")
    args = p.parse_args(argv)
    names = args.shapes or list(SHAPES)
    size = int(args.mb * MB)
    if args.write:
        for name in names:
            print(write(args.write, name, size))
        return 0
    print(compile_package(), file=sys.stderr, flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="citecheck-hostile-"))
    failed = 0
    print(
        "| shape | input MB | wall s | CPU s | fastest CPU s | CPU s per MB | peak MiB | exit |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    try:
        for name in names:
            path = write(tmp, name, size)
            mb = sum(f.stat().st_size for f in path.parent.iterdir()) / MB
            runs = [run(path, args.timeout) for _ in range(max(1, args.repeats))]
            codes = [code for _, _, _, code in runs]
            failed += any(code is None or code > 2 for code in codes)
            shown = "killed" if None in codes else str(max(c for c in codes if c is not None))
            seconds = statistics.median(s for s, _, _, _ in runs)
            cpus = [cpu for _, cpu, _, _ in runs]
            cpu, rss = statistics.median(cpus), max(r for _, _, r, _ in runs)
            times = f"{seconds:.2f} | {cpu:.2f} | {min(cpus):.2f} | {cpu / mb:.2f}"
            row = f"| {name} | {mb:.2f} | {times} | {rss / 2**20:.0f} | {shown} |"
            print(row, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
