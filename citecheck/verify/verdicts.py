"""The order of look-ups and the verdict for each reference.

Input: parsed ``Reference`` records. Output: one ``Verification`` per reference: the registry
record it matched (the evidence), the fields that disagree, or why it could not be checked.

The order keeps requests few and cheap: a reference with a DOI is looked up by that DOI (a
singleton request, free on both registries); only a reference without a usable DOI is searched
for, and only by its title, first author, year and container. No manuscript text is ever sent.
A look-up that fails (time-out, rate limit, offline) makes the reference ``unverified``: never
"ok", never "not found". So does an answer not of the shape the registry documents (the client
refuses it; ``records`` raises ``Malformed``), and a record without a title cannot show that a
DOI belongs to another work.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from citecheck.cache import regex
from citecheck.model import Record, Reference, Verification
from citecheck.verify.client import Answer, RegistryClient, Settings
from citecheck.verify.match import DOI_SAME_WORK, accepts, mismatches, query_text, score, title_query
from citecheck.verify.records import (
    Malformed,
    crossref_agency,
    crossref_items,
    crossref_listed,
    crossref_work,
    datacite_work,
    normalise_doi,
    openalex_listed,
    openalex_results,
    openalex_work,
)

# A DOI as registered: "10." + a registrant code + "/" + a suffix without white space.
DOI_SYNTAX = regex(r"^10\.\d{4,9}/\S+$")

Progress = Callable[[int, int], None]
WORKERS_PER_PLACE = 8  # references in progress for each request allowed in flight
MAX_WORKERS = 64


def verify_references(
    references: Sequence[Reference],
    settings: Settings | None = None,
    progress: Progress | None = None,
    client: RegistryClient | None = None,
) -> list[Verification]:
    """Verify every parsed reference; unparsed entries are left out (they have nothing to send)."""
    own = client is None
    client = client or RegistryClient(settings)
    todo = [i for i, r in enumerate(references) if r.title or r.doi]
    # The longest jobs first, as in any schedule that must end soon: the searches (one or two
    # requests each), then the look-ups by DOI (one quick request each), which fill the places
    # the searches leave. At the client's gate every reference's first request goes before any
    # reference's next one, so a look-up that stalls does so early, while others overlap it.
    order = sorted(todo, key=lambda i: bool(references[i].doi and DOI_SYNTAX.match(normalise_doi(references[i].doi or ""))))
    place = {i: n for n, i in enumerate(order)}
    done = 0
    lock = threading.Lock()
    # What the cache answers whole is verified here, one after the other: no thread is started
    # for it (a second run of a manuscript sends nothing and needs none).
    by_index: dict[int, Verification] = {}
    for i in order:
        with client.cache_only() as answered:
            result = verify_one(client, i, references[i])
        if answered():
            by_index[i] = result
            done += 1
            if progress is not None:
                progress(done, len(todo))
    order = [i for i in order if i not in by_index]
    groups = _batches(client, [references[i] for i in order])
    waits: dict[str, Future[None]] = {}  # DOI -> the batch that looks it up

    def one(i: int) -> Verification:
        nonlocal done
        batch = waits.get(normalise_doi(references[i].doi or ""))
        if batch is not None:
            batch.result()  # its works are remembered by the client: its look-up is answered at once
        # All of a reference's look-ups share --timeout: a stalling registry costs it that once.
        with client.reference_budget(client.settings.timeout, place[i]):
            result = verify_one(client, i, references[i])
        with lock:
            done += 1
            if progress is not None:
                progress(done, len(todo))
        return result

    try:
        with ThreadPoolExecutor(max_workers=_workers(client.settings.concurrency, max(1, len(order)))) as pool:
            # The batches first, ahead of every reference at the gate; a reference with a DOI in
            # one waits for it (they come last in the order, so no thread waits long).
            for n, group in enumerate(groups):
                future = pool.submit(_look_up_together, client, group, n - len(groups))
                waits.update(dict.fromkeys(group, future))
            by_index.update(zip(order, pool.map(one, order), strict=True))
        results = [by_index[i] for i in todo]
    finally:
        if own:
            client.close()
    if client.settings.retractions is not None:
        from citecheck.verify.retractions import read_notices, wanted_dois, with_notices

        listed = read_notices(client.settings.retractions, wanted_dois(results, references))
        results = with_notices(results, references, listed)
    return results


def _batches(client: RegistryClient, references: Sequence[Reference]) -> list[list[str]]:
    """The DOIs to look up together, in groups of at most ``Settings.batch``, of as even a size as
    possible: those the cache does not answer, when there are at least two. A DOI with a comma
    or a "|" would break the filter's syntax and goes alone."""
    size = client.settings.batch
    if client.settings.offline or size < 2:
        return []
    dois: dict[str, None] = {}
    for ref in references:
        doi = normalise_doi(ref.doi or "")
        if DOI_SYNTAX.match(doi) and not set(doi) & {",", "|"} and not client.knows("crossref", doi):
            dois[doi] = None
    todo = list(dois)
    if len(todo) < 2:
        return []
    count = -(-len(todo) // size)
    return [todo[k::count] for k in range(count)]


def _look_up_together(client: RegistryClient, dois: list[str], order: int) -> None:
    """One list request for the works of several DOIs (and one to OpenAlex for those Crossref
    does not have), each work remembered as the answer to its own look-up. Whatever goes wrong
    (a time-out, a refusal, an unreadable answer) only means the DOIs are looked up one by one;
    a DOI missing from the answer is too, so that its absence is told by its own look-up. A
    batch has a third of --timeout: it only saves requests, and one that stalls holds the
    references in it back."""
    found: set[str] = set()
    for registry, ask, read in (
        ("crossref", client.crossref_works, crossref_listed),
        ("openalex", client.openalex_works, openalex_listed),
    ):
        left = [d for d in dois if d not in found and (registry == "crossref" or not client.knows(registry, d))]
        if len(left) < 2:
            return
        with client.reference_budget(client.settings.timeout / 3, order):
            answer = ask(left)
        if not answer.ok:
            return
        try:
            works = read(answer.data)
        except Malformed:
            return
        wanted = set(left)
        for record, work in works:
            if record.doi in wanted:
                client.remember(registry, record.doi, work)
                found.add(record.doi)


def _workers(concurrency: int, references: int) -> int:
    """Threads for the references: more than the places in flight (``--concurrency``), so that
    references wait for a place at the client's gate, which sends every reference's first look-up
    before any follow-up, rather than in a queue of whole references, where one that stalls late
    holds the end of the run. Each thread mostly sleeps on a socket."""
    return max(1, min(references, WORKERS_PER_PLACE * max(1, concurrency), MAX_WORKERS))


def verify_one(client: RegistryClient, index: int, ref: Reference) -> Verification:
    if ref.doi:
        doi = normalise_doi(ref.doi)
        if not DOI_SYNTAX.match(doi):
            found = _search(client, index, ref)
            return Verification(
                reference=index,
                status="doi-invalid",
                record=found.record,
                score=found.score,
                mismatches=found.mismatches,
                detail=f"'{ref.doi}' is not a well-formed DOI",
                registries=found.registries,
            )
        return _by_doi(client, index, ref, doi)
    return _search(client, index, ref)


def _by_doi(client: RegistryClient, index: int, ref: Reference, doi: str) -> Verification:
    answers: list[tuple[str, Answer]] = [("crossref", client.crossref_work(doi))]
    problems: dict[str, str] = {}
    record = _record(*answers[0], problems)
    if record is None:
        # not in Crossref (a DataCite DOI, say), Crossref failed, or its answer was unreadable: ask OpenAlex
        answers.append(("openalex", client.openalex_work(doi)))
        record = _record(*answers[-1], problems)
    registries = tuple(name for name, a in answers if (a.ok and name not in problems) or a.not_found)
    if record is not None:
        return _compared(index, ref, doi, record, registries)
    if all(a.not_found for _, a in answers):
        # Neither knows it. The DOI's own agency says whether it exists (DataCite registers data
        # sets, software and many preprints; mEDRA, JaLC and others register DOIs too).
        agency = client.crossref_agency(doi)
        answers.append(("agency", agency))
        if agency.ok:
            return _at_agency(client, index, ref, doi, crossref_agency(agency.data), answers)
        if not agency.not_found:
            why = agency.error or f"answered {agency.status}"
            return Verification(
                reference=index,
                status="unverified",
                detail=f"neither Crossref nor OpenAlex knows {doi}, and its registration agency could not be asked ({why})",
                registries=registries,
            )
    if all(a.not_found for _, a in answers):
        # No agency registered the DOI: it does not exist. Whether the work does is worth knowing.
        found = _search(client, index, ref) if ref.title else None
        detail = f"{doi} does not resolve"
        if found is not None and found.record is not None:
            detail += f"; the work is registered as {found.record.doi or found.record.id}"
        return Verification(
            reference=index,
            status="doi-not-found",
            record=found.record if found else None,
            score=found.score if found else None,
            detail=detail,
            registries=registries,
        )
    errors = "; ".join(
        dict.fromkeys(problems.get(name) or a.error or f"answered {a.status}" for name, a in answers if not a.not_found)
    )
    return Verification(reference=index, status="unverified", detail=errors or "no answer", registries=registries)


# The agencies whose records citecheck reads; the others' DOIs exist, but are not checked.
_AGENCY_NAMES = {
    "medra": "mEDRA",
    "jalc": "JaLC",
    "kisti": "KISTI",
    "cnki": "CNKI",
    "airiti": "Airiti",
    "op": "the EU Publications Office",
}


def _at_agency(
    client: RegistryClient, index: int, ref: Reference, doi: str, agency: str, answers: list[tuple[str, Answer]]
) -> Verification:
    """A DOI that Crossref and OpenAlex do not know, looked up where it is registered: DataCite's
    record is compared as any other; another agency's DOI exists, unchecked."""
    registries = tuple(dict.fromkeys(name for name, a in answers if name != "agency" and (a.ok or a.not_found)))
    if agency != "datacite":
        where = "Crossref, which has no record of it now" if agency == "crossref" else _AGENCY_NAMES.get(agency, agency)
        return Verification(
            reference=index,
            status="unverified",
            detail=f"{doi} is registered with {where}; citecheck does not read that agency's records, so it was not checked",
            registries=registries,
        )
    answer = client.datacite_work(doi)
    problems: dict[str, str] = {}
    record = _record("datacite", answer, problems)
    registries = (*registries, "datacite") if (answer.ok and not problems) or answer.not_found else registries
    if record is None:
        if answer.not_found:
            return Verification(
                reference=index,
                status="doi-not-found",
                detail=f"{doi} does not resolve at DataCite, which registered it",
                registries=registries,
            )
        why = problems.get("datacite") or answer.error or f"answered {answer.status}"
        return Verification(reference=index, status="unverified", detail=f"DataCite: {why}", registries=registries)
    return _compared(index, ref, doi, record, registries)


def _compared(index: int, ref: Reference, doi: str, record: Record, registries: tuple[str, ...]) -> Verification:
    """The entry against the record its DOI leads to: the same work (ok, or with fields that
    differ), or another work's DOI."""
    fit = score(ref, record)
    if fit < DOI_SAME_WORK and ref.title:
        if not record.title:
            # Nothing to compare the entry with: no evidence that the DOI is another work's.
            return Verification(
                reference=index,
                status="unverified",
                detail=f"the {record.registry} record of {doi} has no title to compare",
                registries=registries,
            )
        return Verification(
            reference=index,
            status="doi-mismatch",
            record=record,
            score=fit,
            detail=f"{doi} is registered for another work",
            registries=registries,
        )
    wrong = mismatches(ref, record)
    return Verification(index, "metadata-mismatch" if wrong else "ok", record, fit, wrong, registries=registries)


def _search(client: RegistryClient, index: int, ref: Reference) -> Verification:
    if not ref.title:
        return Verification(reference=index, status="unverified", detail="the entry has no title to search for")
    # Crossref ranks by every word it finds in any field: all the entry says. OpenAlex finds only
    # works whose title or text holds every word sent: the title alone, the year as a filter.
    title, years = title_query(ref)
    asks: list[tuple[str, Callable[[], Answer]]] = [
        ("crossref", lambda: client.crossref_search(query_text(ref))),
        *([("openalex", lambda: client.openalex_search(title, filter=years))] if title else []),
    ]
    answers: list[tuple[str, Answer]] = []
    problems: dict[str, str] = {}
    best: tuple[float, Record] | None = None
    for registry, ask in asks:
        answer = ask()
        answers.append((registry, answer))
        candidates, problem = _candidates(registry, answer)
        if problem:
            problems[registry] = problem
        for record in candidates:
            if accepts(ref, record):
                fit = score(ref, record)
                if best is None or fit > best[0]:
                    best = (fit, record)
        if best is not None:
            break
    registries = tuple(name for name, a in answers if a.ok and name not in problems)
    if best is not None:
        fit, record = best
        wrong = mismatches(ref, record)
        return Verification(index, "metadata-mismatch" if wrong else "ok", record, fit, wrong, registries=registries)
    if registries and len(registries) == len(answers):
        return Verification(reference=index, status="not-found", registries=registries)
    errors = "; ".join(
        dict.fromkeys(problems.get(name) or a.error or f"answered {a.status}" for name, a in answers if name not in registries)
    )
    # Nothing found, but not every registry could be asked: that is no evidence of absence.
    return Verification(reference=index, status="unverified", detail=errors or "no answer", registries=registries)


def _record(registry: str, answer: Answer, problems: dict[str, str]) -> Record | None:
    """The work a look-up by DOI answered with; None when there is none, with why in ``problems``
    when the answer could not be read."""
    if not answer.ok:
        return None
    try:
        return {"crossref": crossref_work, "openalex": openalex_work, "datacite": datacite_work}[registry](answer.data)
    except Malformed as exc:  # the client refuses these; this is for one that did not
        problems[registry] = f"{registry} answered in an unexpected shape: {exc}"
        return None


def _candidates(registry: str, answer: Answer) -> tuple[list[Record], str | None]:
    """The works a search answered with, and why the answer is no evidence, if it is not."""
    if not answer.ok:
        return [], None
    try:
        return (crossref_items if registry == "crossref" else openalex_results)(answer.data), None
    except Malformed as exc:
        return [], f"{registry} answered in an unexpected shape: {exc}"


class TerminalProgress:
    """The references verified so far as a progress line on stderr (tqdm), only when stderr is a
    terminal; a ``Progress`` callback."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="ref", desc="verifying", file=sys.stderr, dynamic_ncols=True, leave=False)
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()
            self.bar = None


def verdict_counts(verifications: Sequence[Verification]) -> str:
    """ "100 references verified: 80 ok, 12 not-found, 5 unverified, 3 metadata-mismatch"."""
    counts = Counter(v.status for v in verifications)
    parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    noun = "reference" if len(verifications) == 1 else "references"
    return f"{len(verifications)} {noun} verified" + (f": {parts}" if parts else "")
