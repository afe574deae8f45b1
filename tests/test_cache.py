"""The compiled-pattern store: a stored program gives the pattern re.compile gives, and any doubt
about the file (damaged, foreign, refused, unwritable) ends in re.compile, never in an error."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck import cache

SAMPLES = [
    (
        "(Smith, 2018a; Müller & Øster, 2020, p. 45)",
        r"(?P<who>[^\W\d_]+)(?:\s*&\s*(?P<other>[^\W\d_]+))?,\s*(?P<year>\d{4})(?P<s>[a-z])?",
    ),
    ("Ådne VAN DER Berg (1999)", r"(?i:van\s+der)\s+(\w+)"),
    ("a\nb\nc", r"^(\w)$"),
]

# Every module that defines pattern constants, imported in a child whose store is the given folder;
# the child prints, for each constant, what a fresh re.compile of the same text finds that differs.
CHILD = r"""
import importlib, pkgutil, re, sys
import citecheck
from citecheck import cache
names = [m.name for m in pkgutil.walk_packages(citecheck.__path__, "citecheck.")]
skip = ("citecheck.__main__", "citecheck.readers.pdf", "citecheck.readers.docx")  # pdf_layout, pdf_limits too
for name in names:
    if not name.startswith(skip):
        importlib.import_module(name)
text = open(sys.argv[1], encoding="utf-8").read()
checked = differ = 0
for (pattern, flags) in list(cache._used):
    ours = cache.regex(pattern, flags)
    fresh = re.compile(pattern, flags)
    checked += 1
    shape = lambda p: (p.pattern, p.flags, p.groups, p.groupindex)
    same = shape(ours) == shape(fresh)
    same = same and [m.span() for m in ours.finditer(text)] == [m.span() for m in fresh.finditer(text)]
    differ += not same
print(checked, differ, len(cache._stored or {}))
"""


def _child(folder: Path, text_file: Path) -> tuple[int, int, int]:
    env = dict(os.environ, CITECHECK_CACHE_DIR=str(folder))
    out = subprocess.run([sys.executable, "-c", CHILD, str(text_file)], env=env, capture_output=True, text=True, check=True)
    checked, differ, stored = map(int, out.stdout.split())
    return checked, differ, stored


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "sample.txt"
    lines = [s for s, _ in SAMPLES] + ["Smith, J. (2018). A title. Journal, 12(3), 45–67. https://doi.org/10.1/x"]
    path.write_text("\n".join(lines * 3), encoding="utf-8")
    return path


def test_a_stored_program_gives_the_pattern_re_compile_gives(tmp_path: Path, text_file: Path) -> None:
    folder = tmp_path / "store"
    checked, differ, stored = _child(folder, text_file)  # compiles every pattern and stores them
    assert checked > 50 and differ == 0 and stored == 0
    assert len(list(folder.glob("regex-*.marshal"))) == 1
    checked2, differ2, stored2 = _child(folder, text_file)  # builds them from the stored programs
    assert (checked2, differ2) == (checked, 0) and stored2 >= checked


@pytest.mark.parametrize(
    "content",
    [b"", b"not marshal at all", marshal.dumps([1, 2, 3]), marshal.dumps({("x", 0): "junk"})],
    ids=["empty", "garbage", "a-list", "wrong-values"],
)
def test_a_damaged_or_foreign_file_is_ignored(tmp_path: Path, text_file: Path, content: bytes) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / cache.store_path().name).write_bytes(content)
    checked, differ, _ = _child(folder, text_file)
    assert checked > 50 and differ == 0


def test_a_program_the_engine_refuses_is_compiled_again(tmp_path: Path, text_file: Path) -> None:
    folder = tmp_path / "store"
    _child(folder, text_file)
    path = next(folder.glob("regex-*.marshal"))
    stored = marshal.loads(path.read_bytes())
    tampered = {key: (flags, [999_999] * len(code), groups, gi, ig) for key, (flags, code, groups, gi, ig) in stored.items()}
    path.write_bytes(marshal.dumps(tampered))
    checked, differ, _ = _child(folder, text_file)
    assert checked > 50 and differ == 0


def test_a_folder_that_cannot_be_written_costs_only_the_store(tmp_path: Path, text_file: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    checked, differ, _ = _child(blocker / "store", text_file)
    assert checked > 50 and differ == 0
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(("text", "pattern"), SAMPLES)
def test_regex_matches_as_re_compile(text: str, pattern: str) -> None:
    ours, fresh = cache.regex(pattern, re.UNICODE), re.compile(pattern, re.UNICODE)
    assert [m.groupdict() or m.groups() for m in ours.finditer(text)] == [
        m.groupdict() or m.groups() for m in fresh.finditer(text)
    ]


def test_an_invalid_pattern_raises_as_re_compile_does() -> None:
    with pytest.raises(re.error):
        cache.regex(r"(unclosed")


def test_the_store_never_grows_past_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(tmp_path))
    many = {(f"x{i}", 0): (0, [0], 0, {}, (None,)) for i in range(cache.MAX_PATTERNS)}
    tmp_path.joinpath(cache.store_path().name).write_bytes(marshal.dumps(many))
    monkeypatch.setattr(cache, "_stored", None)
    monkeypatch.setattr(cache, "_used", {})
    monkeypatch.setattr(cache, "_unsaved", False)
    cache.regex(r"one more (\d+)")
    cache.save()
    kept = marshal.loads(tmp_path.joinpath(cache.store_path().name).read_bytes())
    assert list(kept) == [(r"one more (\d+)", 0)]
