"""The JSON report, written in pieces: the pieces make exactly what json.dumps makes of the whole."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import citecheck
from citecheck.report import render_json, to_dict
from citecheck.report.jsondoc import json_chunks


def _name(i: int) -> str:
    syllables = ["ka", "lo", "mi", "ru", "te", "va"]
    return (syllables[i // 6 % 6] + syllables[i % 6] + "nsen").capitalize()


def _book(citations: int) -> str:
    body = " ".join(f"Prose here ({_name(i % 30)}, {1990 + i % 20}, p. {i})." for i in range(citations))
    entries = "\n\n".join(
        f"{_name(i)}, A. ({1990 + j}). Title {i} {j}. *Jöurnal*, 1(2), 3–900." for i in range(30) for j in range(20)
    )
    return f"{body}\n\nReferences\n\n{entries}\n"


@pytest.mark.parametrize("citations", [0, 1, 255, 256, 257, 700], ids=lambda n: f"{n}-citations")
def test_the_pieces_join_into_what_json_dumps_writes(citations: int) -> None:
    report = citecheck.audit(_book(citations))
    assert len(report.citations) == citations
    assert render_json([report]) == json.dumps(to_dict(report), ensure_ascii=False) + "\n"
    whole = {"schema": "citecheck-reports/1", "reports": [to_dict(report), to_dict(report)]}
    assert render_json([report, report]) == json.dumps(whole, ensure_ascii=False) + "\n"


def test_a_book_is_written_in_many_pieces() -> None:
    report = citecheck.audit(_book(700))
    pieces = list(json_chunks([report]))
    assert len(pieces) > 10 and max(map(len, pieces)) < len("".join(pieces)) / 2


def test_version_and_help_load_none_of_the_pipeline() -> None:
    code = (
        "import sys\nfrom citecheck.cli import run\nrun(['--version']); run(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('citecheck.pipeline', 'citecheck.citations', "
        "'citecheck.link', 'citecheck.references', 'citecheck.rules', 'rapidfuzz'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
