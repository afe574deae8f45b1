"""Properties of the whole pipeline, over generated input: the audit of any text gives a sound report
(``invariants.py``), the same one every time; reference entries lie in the list they were read
from; a bibliography of any text is read or refused with one line; the command line never exits
with its internal-error code.

The finder, the Pandoc syntax, the layout and the fields have properties of their own (in
test_citations.py, test_pandoc.py, test_layout.py, test_fields.py); these hold the stages
together. Deterministic (``derandomize``, no example database) and small, as the suite runs in CI;
``make fuzz`` runs the same invariants for minutes over damaged fixtures.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from invariants import check_entries, check_report, one_line

import citecheck
from citecheck import cli
from citecheck.bibliography import parse_bibliography
from citecheck.errors import InputError
from citecheck.report import render_json

CI = settings(derandomize=True, database=None, deadline=None, max_examples=60)

# What author-date prose is made of, and what breaks it: brackets left open, numbers of any
# length or script, names that run on.
PROSE = st.sampled_from(
    [
        "(", ")", "[", "]", "; ", ", ", " ", ".", "\n", "\n\n", "&", " and ", " et al.", "e.g., ", "see ", "Smith",
        "Jones", "van der Berg", "Müller", "World Health Organization", "[WHO]", "2018", "2019a", "n.d.", "in press",
        "p. 45", "pp. 45–50", "9" * 40, "２０１８", "²", "\t", "\x0c", "\u2028", "—", "'s", "Smith (2018)", "(Jones, 2019)",
    ]
)  # fmt: skip

ENTRY = st.builds(
    "{}, {}. ({}). {}. {}, {}, {}–{}.".format,
    st.sampled_from(["Smith", "Jones", "van der Berg", "Müller", "World Health Organization", "", "("]),
    st.sampled_from(["J", "A. B", ""]),
    st.sampled_from(["2018", "2019a", "n.d.", "in press", "9" * 30, ""]),
    st.sampled_from(["A title", "Title (with a bracket", "References", ""]),
    st.sampled_from(["Journal", "*Journal*", ""]),
    st.sampled_from(["1(2)", "12", "", "٣"]),
    st.sampled_from(["3", "101", "9" * 20, ""]),
    st.sampled_from(["4", "118", "²", ""]),
)

MANUSCRIPT = st.builds(
    lambda body, entries: "".join(body) + "\n\nReferences\n\n" + "\n\n".join(entries) + "\n",
    st.lists(PROSE, max_size=40),
    st.lists(ENTRY, max_size=6),
)


@CI
@given(st.text(max_size=400))
def test_the_audit_of_any_text_is_sound(text: str) -> None:
    check_report(citecheck.audit(text))


@CI
@given(MANUSCRIPT)
def test_the_audit_of_a_manuscript_with_a_list_is_sound(text: str) -> None:
    check_report(citecheck.audit(text))


@CI
@given(MANUSCRIPT)
def test_entries_lie_in_order_inside_the_reference_list(text: str) -> None:
    report = citecheck.audit(text)
    check_entries(report.references, text)
    listed = report.reference_list
    if listed is not None:
        assert all(listed.start <= r.span.start <= r.span.end <= listed.end for r in report.references)


@settings(CI, max_examples=30)
@given(MANUSCRIPT)
def test_the_same_manuscript_gives_the_same_report(text: str) -> None:
    assert render_json([citecheck.audit(text)]) == render_json([citecheck.audit(text)])


BIB = st.sampled_from(
    [
        "@article{", "@book{", "@string{", "@comment{", "key,", "author = {", "title = ", '"', "{", "}", "(", ")", ",",
        " and ", "others", "year = 2018", "9" * 30, "pages = {1--9}", "\n", "%", "\\", "#", "=",
        "[", "]", '{"id": "a"', '"author": [{"family": "Smith"}]', '"issued": {"date-parts": [[2018]]}', ":", "null",
        "TY  - JOUR\n", "AU  - Smith, J.\n", "PY  - 2018\n", "ER  - \n", "\r\n",
    ]
)  # fmt: skip


@CI
@given(st.lists(BIB, max_size=40).map("".join), st.sampled_from([".bib", ".json", ".ris", ""]))
def test_a_bibliography_of_any_text_is_read_or_refused_in_one_line(text: str, extension: str) -> None:
    try:
        references = parse_bibliography(text, "library" + extension)
    except InputError as exc:
        one_line(exc)
        return
    check_entries(references, text)


@settings(CI, max_examples=25)
@given(
    st.one_of(st.binary(max_size=200), MANUSCRIPT.map(str.encode)),
    st.sampled_from([[], ["--format", "json"], ["--from", "latex"], ["--from", "jats"], ["--select", "CC1"]]),
)
def test_the_command_line_exits_0_1_or_2_with_one_line_for_a_2(data: bytes, options: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "paper.txt"
        path.write_bytes(data)
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = cli.run(["audit", str(path), *options])
    assert code in (0, 1, 2), err.getvalue()
    if code == 2:
        assert len(err.getvalue().splitlines()) == 1
