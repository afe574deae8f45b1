"""The checks that read registry verdicts: not found, mismatched, bad DOIs, retracted works.

They register in the one rule registry (``citecheck.rules``) and stay silent unless the audit was
asked to verify (``--verify``), since only then are there verdicts to read.
"""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import LinkStatus, Record, Severity, Verification
from citecheck.rules import Context, Rule, ref_label, rule
from citecheck.verify.records import CONCERN, CORRECTING, RETRACTING

_REGISTRY = {"crossref": "Crossref", "openalex": "OpenAlex", "datacite": "DataCite", "retraction-watch": "Retraction Watch"}
# Works that registries often lack: a "not found" on them is a weaker lead.
_OFTEN_UNREGISTERED = frozenset({"book", "report", "thesis", "web", "other"})


def _verdicts(ctx: Context, *statuses: str) -> Iterator[Verification]:
    for v in ctx.verifications or ():
        if not statuses or v.status in statuses:
            yield v


def describe(record: Record) -> str:
    """ "Crossref 10.1/x: Title (2013), Journal 12(3), 45–67"."""
    where = record.doi or record.id
    bits = [f"{_REGISTRY.get(record.registry, record.registry)} {where}:"]
    if record.title:
        bits.append(f"'{record.title}'")
    if record.years:
        bits.append(f"({record.years[0]})")
    tail = record.container or record.publisher or ""
    if record.volume:
        tail += f" {record.volume}" + (f"({record.issue})" if record.issue else "")
    if record.first_page:
        tail += ", " + record.first_page + (f"–{record.last_page}" if record.last_page else "")
    if tail:
        bits.append(tail.strip(", "))
    return " ".join(bits)


@rule("CC301", "reference-not-found", Severity.WARNING)
def reference_not_found(ctx: Context, r: Rule) -> Iterator:
    """No registry knows the work: check that it exists.

    Flags: a reference that neither Crossref nor OpenAlex returned a matching record for, searched
    by its title, first author, year and container.
    Why: references written by language models, or garbled in copying, point to works that do not
    exist; a reader who looks for them finds nothing.
    Example: "Quennell, P. (2011). A survey nobody wrote. Journal of Unread Results, 3(2), 11-19."
    Limits: a lead, not an accusation: books, reports, theses, web pages and works not in English
    are often missing from both registries, so for them this is only a note. Runs with --verify.
    """
    for v in _verdicts(ctx, "not-found"):
        ref = ctx.references[v.reference]
        weak = ref.kind in _OFTEN_UNREGISTERED or (ref.language not in (None, "en"))
        registries = " nor ".join(_REGISTRY.get(x, x) for x in v.registries)
        yield r.finding(
            f"{ref_label(ref)}: neither {registries} has a record of this work.",
            span=ref.span,
            reference=v.reference,
            suggestion="Check that the work exists and that its title, authors and year are right; add its DOI if it has one.",
            severity=Severity.NOTE if weak else None,
        )


def _cited_years(ctx: Context, reference: int) -> set[str]:
    years = set()
    for link in ctx.links:
        if link.reference == reference and link.status in (LinkStatus.EXACT, LinkStatus.YEAR_MISMATCH):
            years.add(ctx.citations[link.citation].year[:4])
    return years


@rule("CC302", "metadata-mismatch", Severity.WARNING)
def metadata_mismatch(ctx: Context, r: Rule) -> Iterator:
    """The registry's record of the work differs from the reference list.

    Flags: year, title, first author, journal, volume, issue or pages that differ from the record
    the reference was matched to (print and online years one apart are both accepted).
    Why: a wrong year or page range sends readers to the wrong place and is often the sign of a
    reference copied from another one.
    Example: the list says Lo (2019), 19–35 while Crossref has the same work in 2008, 1–17.
    Limits: the match itself is a judgement (see docs/verify.md for the thresholds); journal names
    are compared loosely because abbreviations differ. Runs with --verify.
    """
    for v in _verdicts(ctx, "metadata-mismatch", "doi-invalid"):
        if not v.mismatches or v.record is None:
            continue
        ref = ctx.references[v.reference]
        registry = _REGISTRY.get(v.record.registry, v.record.registry)
        parts = [f"list says {m.field} {m.listed}, {registry} says {m.registry}" for m in v.mismatches]
        message = f"{ref_label(ref)}: " + "; ".join(parts) + "."
        year = next((m for m in v.mismatches if m.field == "year"), None)
        if year is not None and ctx.links:
            cited = _cited_years(ctx, v.reference)
            if year.registry in cited and year.listed[:4] not in cited:
                message += f" The text cites {year.registry} too: the list is the odd one out."
            elif cited and cited <= {year.listed[:4]}:
                message += f" The text cites {year.listed[:4]} as the list does: if the year is wrong, it is wrong in both."
        fixes = ", ".join(f"{m.field} to {m.registry}" for m in v.mismatches)
        yield r.finding(
            message,
            span=ref.span,
            reference=v.reference,
            suggestion=f"Check the entry against the published work; {registry} suggests changing {fixes}.",
            evidence=v.record,
        )


@rule("CC303", "doi-invalid", Severity.ERROR)
def doi_invalid(ctx: Context, r: Rule) -> Iterator:
    """A DOI that is not well-formed.

    Flags: a DOI that does not read "10." + registrant code + "/" + suffix.
    Why: a malformed DOI cannot resolve; readers and reference managers fail on it.
    Example: "doi: 10.1234 /abc" or "10/abc".
    Limits: checks the form only; the work is then searched for by its metadata. Runs with --verify.
    """
    for v in _verdicts(ctx, "doi-invalid"):
        ref = ctx.references[v.reference]
        found = f" {describe(v.record)} looks like the work." if v.record else ""
        yield r.finding(
            f"{ref_label(ref)}: {v.detail}.{found}",
            span=ref.span,
            reference=v.reference,
            suggestion=f"Correct the DOI{' to ' + v.record.doi if v.record and v.record.doi else ''}.",
            evidence=v.record,
        )


@rule("CC304", "doi-not-found", Severity.ERROR)
def doi_not_found(ctx: Context, r: Rule) -> Iterator:
    """A DOI that no registry resolves.

    Flags: a well-formed DOI unknown to Crossref and to OpenAlex that no registration agency
    registered (or that DataCite registered and no longer resolves).
    Why: the link is dead; invented references often carry invented DOIs.
    Example: "https://doi.org/10.5555/nonexistent.2020.1".
    Limits: a DOI of an agency citecheck does not read (mEDRA, JaLC, ...) is not checked, and is
    unverified rather than flagged. Runs with --verify.
    """
    for v in _verdicts(ctx, "doi-not-found"):
        ref = ctx.references[v.reference]
        yield r.finding(
            f"{ref_label(ref)}: {v.detail}.",
            span=ref.span,
            reference=v.reference,
            suggestion=(
                f"Replace the DOI with {v.record.doi}."
                if v.record and v.record.doi
                else "Check the DOI against the published work."
            ),
            evidence=v.record,
        )


@rule("CC305", "doi-mismatch", Severity.ERROR)
def doi_mismatch(ctx: Context, r: Rule) -> Iterator:
    """A DOI that resolves to another work.

    Flags: a DOI whose registry record does not match the entry's title, authors and year.
    Why: readers who follow the DOI land on the wrong work.
    Example: an entry for a 2019 book whose DOI belongs to a 2014 article on another subject.
    Limits: a record with very sparse metadata can look like another work. Runs with --verify.
    """
    for v in _verdicts(ctx, "doi-mismatch"):
        ref = ctx.references[v.reference]
        assert v.record is not None
        yield r.finding(
            f"{ref_label(ref)}: the DOI belongs to another work, {describe(v.record)}.",
            span=ref.span,
            reference=v.reference,
            suggestion="Replace the DOI with the work's own, or correct the entry if the DOI is right.",
            evidence=v.record,
        )


def _updates(v: Verification, kinds: frozenset[str]) -> list[str]:
    if v.record is None:
        return []
    out = []
    for u in v.record.updates:
        if u.kind in kinds and u.source == "title":
            out.append(f"its registered title is marked as {'withdrawn' if u.kind == 'withdrawal' else 'retracted'}")
        elif u.kind in kinds:
            who = f" ({u.source})" if u.source and u.source != v.record.registry else ""
            when = f" on {u.date}" if u.date else ""
            notice = f", notice {u.doi}" if u.doi else ""
            out.append(f"{u.kind.replace('_', ' ')}{when}{notice}{who}")
    return out


@rule("CC306", "retracted-work", Severity.ERROR)
def retracted_work(ctx: Context, r: Rule) -> Iterator:
    """A cited work that was retracted or withdrawn.

    Flags: a work whose Crossref record is updated by a retraction, withdrawal or removal (from
    the publisher or Retraction Watch), that OpenAlex marks as retracted, or whose registered title
    its publisher re-titled "RETRACTED: ..." (a signal, never a title mismatch). A retraction
    notice itself (which carries "update-to", and from some publishers an "updated-by" of its own)
    is not flagged. A retracted work that was also corrected or put under an expression of
    concern is one finding naming every notice.
    Why: citing retracted work without saying so spreads findings that no longer stand.
    With --retractions FILE, the notices a local copy of the Retraction Watch CSV lists for the
    work's DOI count too, offline included.
    Example: a 2012 article retracted in 2015 for data fabrication.
    Limits: only as current as the registries (and the file). Runs with --verify.
    """
    for v in _verdicts(ctx):
        if v.record is None or not v.record.retracted or v.status in ("doi-mismatch", "doi-not-found"):
            continue
        ref = ctx.references[v.reference]
        notices = _updates(v, RETRACTING) or ["marked as retracted"]
        others = _updates(v, CONCERN | CORRECTING)
        also = f"; also {'; '.join(others)}" if others else ""
        yield r.finding(
            f"{ref_label(ref)} was retracted: {'; '.join(notices)}{also}.",
            span=ref.span,
            reference=v.reference,
            suggestion="Remove the citation, or say in the text that the work was retracted and why it is still cited.",
            evidence=v.record,
        )


def _notices(ctx: Context, r: Rule, kinds: frozenset[str], what: str, suggestion: str) -> Iterator:
    for v in _verdicts(ctx):
        notices = _updates(v, kinds)
        if not notices or v.status in ("doi-mismatch", "doi-not-found"):
            continue
        if v.record is not None and v.record.retracted:
            continue  # one finding for the work: the retraction's, which names this notice too
        ref = ctx.references[v.reference]
        yield r.finding(
            f"{ref_label(ref)} {what}: {'; '.join(notices)}.",
            span=ref.span,
            reference=v.reference,
            suggestion=suggestion,
            evidence=v.record,
        )


@rule("CC307", "expression-of-concern", Severity.WARNING)
def expression_of_concern(ctx: Context, r: Rule) -> Iterator:
    """A cited work under an expression of concern.

    Flags: a work whose Crossref record is updated by an expression of concern.
    Why: the publisher doubts the work; readers should know.
    Example: an article whose data are under investigation.
    Limits: runs with --verify.
    """
    yield from _notices(
        ctx,
        r,
        CONCERN,
        "is under an expression of concern",
        "Mention the expression of concern where the work is cited, or cite other evidence.",
    )


@rule("CC308", "corrected-work", Severity.WARNING)
def corrected_work(ctx: Context, r: Rule) -> Iterator:
    """A cited work that was corrected.

    Flags: a work whose Crossref record is updated by a correction, erratum or corrigendum.
    Why: the cited passage may be one that was corrected.
    Example: an article with a corrigendum to its main table.
    Limits: runs with --verify.
    """
    yield from _notices(ctx, r, CORRECTING, "was corrected", "Check that the cited passage is not one the correction changed.")


@rule("CC309", "unverified", Severity.NOTE)
def unverified(ctx: Context, r: Rule) -> Iterator:
    """A reference the registries could not be asked about.

    Flags: a reference whose look-ups failed: time-out, rate limit, network error, or --offline
    with nothing in the cache.
    Why: it is neither confirmed nor refuted; saying nothing would read as "all is well".
    Example: a look-up that timed out twice.
    Limits: run again later, or with a longer --timeout. Runs with --verify.
    """
    for v in _verdicts(ctx, "unverified"):
        ref = ctx.references[v.reference]
        yield r.finding(
            f"{ref_label(ref)} could not be verified: {v.detail}.",
            span=ref.span,
            reference=v.reference,
            suggestion="Run the verification again later.",
        )


@rule("CC310", "published-version", Severity.NOTE)
def published_version(ctx: Context, r: Rule) -> Iterator:
    """A cited preprint that has a published version.

    Flags: a reference whose matched Crossref record is a preprint the registry links to its
    published version ("is-preprint-of"), or an entry that names a preprint server (bioRxiv,
    arXiv, SSRN, ...) matched to a published work the registry links to its preprint
    ("has-preprint"). The two versions' years, journals, volumes and pages are not reported as
    mismatches.
    Why: a preprint is the work before peer review, and the published version may say something
    else; readers usually want the version of record. The two versions' details differ by nature,
    which is no error in the list.
    Example: "Okafor, N. (2020). Soil carbon under drought. bioRxiv." for a preprint published in
    Global Change Biology in 2021.
    Limits: only what the registry links: a preprint whose publisher never told Crossref of the
    published version is not flagged. Runs with --verify.
    """
    for v in _verdicts(ctx, "ok", "metadata-mismatch"):
        record = v.record
        if record is None:
            continue
        from citecheck.verify.match import names_preprint_server  # only when there is a verdict to read

        ref = ctx.references[v.reference]
        if record.preprint_of:
            message = f"{ref_label(ref)} cites a preprint; a published version exists: {', '.join(record.preprint_of)}."
        elif record.preprints and names_preprint_server(ref.container):
            message = f"{ref_label(ref)} cites the preprint of the work published as {record.doi or record.id}."
        else:
            continue
        yield r.finding(
            message,
            span=ref.span,
            reference=v.reference,
            suggestion="Cite the published version if it is the one you read, or keep the preprint if its content differs.",
            evidence=record,
        )
