"""The words around a finding, for a person to find it: the sentence a citation stands in, and
the first words of its paragraph (a DOCX has no lines a reader of Word can see, so a place there
is told by what it says).

Sentences are cut where a full stop, question or exclamation mark is followed by a space and a
capital, unless the word it ends is an abbreviation that citations and prose use ("et al.",
"p.", "e.g.") or a lone initial ("J."). Nothing here is a finding: a sentence cut in the wrong
place only shows a little more or less context.
"""

from __future__ import annotations

import bisect

from citecheck.cache import regex
from citecheck.model import Source, Span

MAX_CONTEXT = 300  # characters of context at most on each side of the cited text
PARAGRAPH_START = 8  # words of a paragraph's opening

# A possible end: the mark, closing quotes and brackets, white space, then (after opening quotes)
# the next sentence's first letter, which must be a capital ("in 2019. The", not "in 2019. the").
_ENDS = regex(r"""[.?!](["'”’)\]]*)\s+(?=["'“‘(\[]*([^\W\d_]))""")
_ABBREVIATION = regex(
    r"(?:\bet al|\bp|\bpp|\be\.g|\bi\.e|\bcf|\bvs|\bFig|\bfig|\bEq|\beq|\bNo|\bno|\bVol|\bvol|\bed|\beds|\bDr|\bMr|\bMrs|\bMs"
    r"|\bSt|\bch|\bchap|\bsec|\bSect|\bpara|\bapprox|\bca|\bresp|\bviz|\bOp|\bop|\bcit|\bIbid|\bibid|\b\w)\.$"
)


def _paragraph(source: Source, offset: int, end: int) -> tuple[int, int]:
    """The blank-line separated block around [offset, end), as (start, end), within the file the
    offset lies in and looked for no further than a few contexts away."""
    text = source.text
    part = source.part(offset)
    lo = part.start if part is not None else 0
    hi = len(text)
    if part is not None:
        later = [p.start for p in source.parts if p.start > part.start]
        hi = min(later, default=hi)
    lo, hi = max(lo, offset - 4 * MAX_CONTEXT), min(hi, end + 4 * MAX_CONTEXT)
    start = text.rfind("\n\n", lo, offset)
    stop = text.find("\n\n", end, hi)
    return lo if start == -1 else start + 2, hi if stop == -1 else stop


def _ends(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Where the sentences between two offsets end (after the mark and its closing quotes) and
    where the next one starts."""
    out = []
    for m in _ENDS.finditer(text, lo, hi):
        if m.group(2).isupper() and not _ABBREVIATION.search(text, max(lo, m.start() - 12), m.start() + 1):
            out.append((m.end(1), m.end()))
    return out


def sentence(source: Source, span: Span) -> tuple[str, str, str]:
    """The sentence around a span as (before, the span's text, after), each on one line, cut to
    ``MAX_CONTEXT`` characters a side with an ellipsis."""
    text = source.text
    first, last = _paragraph(source, span.start, span.end)
    lo = max(first, span.start - MAX_CONTEXT)
    if lo > first:  # cut at a word's start, not inside it
        space = text.find(" ", lo, span.start)
        lo = space + 1 if space != -1 else lo
    ends = _ends(text, lo, span.start)
    start = ends[-1][1] if ends else lo
    hi = min(last, span.end + MAX_CONTEXT)
    if hi < last:
        space = text.rfind(" ", span.end, hi)
        hi = space if space != -1 else hi
    ends = _ends(text, span.end, hi)
    end = ends[0][0] if ends else hi
    before = " ".join(text[start : span.start].split())
    after = " ".join(text[span.end : end].split())
    if start == lo and lo > first:
        before = "…" + before
    if end == hi and hi < last:
        after = after + "…"
    # Keep the space between the context and the cited text that the split above took away.
    if before and text[span.start - 1 : span.start].isspace():
        before += " "
    if after and text[span.end : span.end + 1].isspace():
        after = " " + after
    return before, " ".join(text[span.start : span.end].split()), after


def paragraph_start(source: Source, offset: int) -> str:
    """The first words of the paragraph an offset lies in, with an ellipsis when there are more."""
    first, last = _paragraph(source, offset, offset)
    if source.paragraphs:  # the reader's own blocks: where this one starts, however long it is
        breaks = source.paragraph_breaks
        i = bisect.bisect_right(breaks, offset)
        first = breaks[i - 1] if i else 0
        last = breaks[i] - 2 if i < len(breaks) else len(source.text)
    words = source.text[first : min(last, first + 200)].split()
    opening = " ".join(words[:PARAGRAPH_START])
    return opening + "…" if len(words) > PARAGRAPH_START or last > first + 200 else opening
