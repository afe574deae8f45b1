"""The text renderer: findings grouped by severity, each with where it is, what it says and the fix.

A problem that recurs (the same wrong year cited three times) is told once, with every place it
occurs (``groups.py``). Places are told the way a reader finds them: ``file:line:column`` for text,
Markdown and LaTeX; the printed page label and margin line number for a PDF; the paragraph's first
words and the quoted sentence for a DOCX, which shows no lines. Colour marks the severities on a
terminal, never when ``NO_COLOR`` is set or the report goes to a file or a pipe.

Several documents (a folder, an archive) are told one after another as they are done, each with
findings under a header naming it (``==> path <==``, as ``head`` and ``tail`` name their files), and
then a summary of the whole run (``Tally``): documents, citations, references, findings by kind,
the inputs that could not be audited, and the time taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from citecheck.model import Rendered, Report, Severity, Source, Span, Unreadable
from citecheck.report.context import paragraph_start, sentence
from citecheck.report.data import summary
from citecheck.report.groups import group_findings
from citecheck.verify.rules import describe

_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}
# ANSI colours (SGR): bold red, yellow, cyan for the severities, dim for the places of repeats.
_COLOURS = {Severity.ERROR: "1;31", Severity.WARNING: "1;33", Severity.NOTE: "1;36"}
_DIM = "2"


def render_text(
    reports: Sequence[Report], colour: bool = False, failures: Sequence[Unreadable] = (), seconds: float | None = None
) -> str:
    """The report of one document, or of several with a header each and the run's summary after
    them (``failures``: the inputs that could not be audited; ``seconds``: the run's time)."""
    several = len(reports) + len(failures) > 1
    text = "".join(render_document(r, colour, header=several, first=i == 0) for i, r in enumerate(reports))
    if several:
        tally = Tally()
        for item in [*reports, *failures]:
            tally.add(item)
        text += tally.render(seconds, colour)
    return text


def render_document(report: Report, colour: bool = False, header: bool = False, first: bool = True) -> str:
    """One document's findings by severity and its summary line; with ``header``, a line naming it
    first when it has anything to tell beyond the summary (after a blank line, but for the
    ``first`` document of the run)."""

    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    out: list[str] = []
    src = report.source
    name = src.path or "<text>"
    if header and (src.notes or report.findings):
        out.extend([*([] if first else [""]), paint("1", f"==> {name} <==")])
    for note in src.notes:
        out.append(f"{name}: note: {note}")
    for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE):
        found = [f for f in report.findings if f.severity is severity]
        if not found:
            continue
        out.append(paint(_COLOURS[severity], f"{_HEADINGS[severity]} ({len(found)})"))
        for group in group_findings(found):
            f = group[0]
            out.append(f"  {place(src, f.span, name)}: {paint(_COLOURS[severity], f.rule)} {f.kind}: {f.message}")
            if f.span is not None and src.paragraph(f.span.start) is not None:
                out.append(f"      in: “{''.join(sentence(src, f.span))}”")
            if len(group) > 1:
                others = ", ".join(place(src, g.span, name, short=True) for g in group[1:])
                out.append(paint(_DIM, f"      also at: {others} ({len(group)} places)"))
            if f.evidence is not None:
                out.append(f"      evidence: {describe(f.evidence)}")
            if f.suggestion:
                out.append(f"      fix: {f.suggestion}")
        out.append("")
    out.append(f"{name}: {summary_line(report)}")
    return "\n".join(out) + "\n"


@dataclass
class Tally:
    """What a run over several documents found, added up a document at a time."""

    documents: int = 0
    citations: int = 0
    references: int = 0
    severities: Counter[Severity] = field(default_factory=Counter)
    kinds: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[Unreadable] = field(default_factory=list)

    def add(self, item: Report | Rendered | Unreadable) -> None:
        if isinstance(item, Rendered):  # a worker's: its document counted there
            other = item.tally
            assert isinstance(other, Tally)
            self.documents += other.documents
            self.citations += other.citations
            self.references += other.references
            self.severities.update(other.severities)
            self.kinds.update(other.kinds)
            return
        self.documents += 1
        if isinstance(item, Unreadable):
            self.failures.append(item)
            return
        s = summary(item)
        self.citations += s["citations"]
        self.references += s["references"]
        for f in item.findings:
            self.severities[f.severity] += 1
            self.kinds[(f.rule, f.kind)] += 1

    def render(self, seconds: float | None = None, colour: bool = False) -> str:
        audited = self.documents - len(self.failures)
        head = _count(self.documents, "document")
        if self.failures:
            head += f" ({audited} audited, {len(self.failures)} not)"
        counts = [_count(self.severities[s], _HEADINGS[s].lower().rstrip("s")) for s in _HEADINGS]
        lines = [
            "",
            ("\x1b[1m" if colour else "") + f"Summary: {head}" + ("\x1b[0m" if colour else ""),
            f"  {_count(self.citations, 'citation')}, {_count(self.references, 'reference')}, {', '.join(counts)}",
        ]
        if self.kinds:
            lines.append("  findings by kind:")
            width = max(len(f"{code} {kind}") for code, kind in self.kinds)
            for (code, kind), n in sorted(self.kinds.items(), key=lambda item: (-item[1], item[0])):
                lines.append(f"    {f'{code} {kind}':<{width}}  {n}")
        if self.failures:
            lines.append(f"  not audited ({len(self.failures)}):")
            lines.extend(f"    {f.path}: {f.status}: {f.reason}" for f in self.failures)
        if seconds is not None:
            rate = f" ({self.documents / seconds:,.1f} documents/s)" if seconds > 0 else ""
            lines.append(f"  time: {seconds:.2f} s{rate}")
        return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    """ "12 citations, 9 references, 1 error, 2 warnings, 1 note", and what was left out."""
    s = summary(report)
    counts = [
        _count(s["citations"], "citation"),
        _count(s["references"], "reference"),
        _count(s["errors"], "error"),
        _count(s["warnings"], "warning"),
    ]
    if s["notes"]:
        counts.append(_count(s["notes"], "note"))
    dropped = [f"{s[k]} {k}" for k in ("suppressed", "baselined") if s.get(k)]
    return ", ".join(counts) + (f" ({', '.join(dropped)})" if dropped else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def place(src: Source, span: Span | None, name: str, short: bool = False) -> str:
    """Where a finding is, for a person to find it; ``short`` for the further places of a repeat."""
    if span is None:
        return name
    at = span.start
    file = src.file(at) or name
    page = src.page(at)
    if page is not None:
        label, printed = src.page_label(at), src.printed_line(at)
        where = f"page {label}" + (f" (PDF page {page})" if label != str(page) else "") if label else f"page {page}"
        if printed is not None:
            where += f", line {printed}"
        return where if short else f"{file}, {where}"
    if src.paragraph(at) is not None:
        opening = paragraph_start(src, at)
        return f"paragraph “{opening}”" if short else f"{file}, paragraph “{opening}”"
    line, col = src.position(at)
    return f"{line}:{col}" if short and file == name else f"{file}:{line}:{col}"
