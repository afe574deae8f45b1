"""The order of look-ups and the verdict for each reference.

Input: parsed ``Reference`` records. Output: one ``Verification`` per reference: the registry
record it matched (the evidence), the fields that disagree, or why it could not be checked.

The order keeps requests few and cheap: a reference with a DOI is looked up by that DOI (a
singleton request, free on both registries); only a reference without a usable DOI is searched
for, and only by its title, first author, year and container. No manuscript text is ever sent.
A look-up that fails (time-out, rate limit, offline) makes the reference ``unverified``: never
"ok", never "not found".
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from citecheck.model import Record, Reference, Verification
from citecheck.verify.client import Answer, RegistryClient, Settings
from citecheck.verify.match import DOI_SAME_WORK, accepts, mismatches, query_text, score
from citecheck.verify.records import from_crossref, from_openalex, normalise_doi

# A DOI as registered: "10." + a registrant code + "/" + a suffix without white space.
DOI_SYNTAX = re.compile(r"^10\.\d{4,9}/\S+$")

Progress = Callable[[int, int], None]


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
    done = 0
    lock = threading.Lock()

    def one(i: int) -> Verification:
        nonlocal done
        result = verify_one(client, i, references[i])
        with lock:
            done += 1
            if progress is not None:
                progress(done, len(todo))
        return result

    try:
        with ThreadPoolExecutor(max_workers=max(1, client.settings.concurrency)) as pool:
            results = list(pool.map(one, todo))
    finally:
        if own:
            client.close()
    return results


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
    record = _record(*answers[0])
    if record is None and not answers[0][1].ok:
        # not in Crossref (a DataCite DOI, say) or Crossref failed: ask OpenAlex
        answers.append(("openalex", client.openalex_work(doi)))
        record = _record(*answers[-1])
    registries = tuple(name for name, a in answers if a.ok or a.not_found)
    if record is not None:
        fit = score(ref, record)
        if fit < DOI_SAME_WORK and ref.title:
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
    if all(a.not_found for _, a in answers):
        # The DOI does not exist. Whether the work does is worth knowing: search for it.
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
    errors = "; ".join(dict.fromkeys(a.error for _, a in answers if a.error))
    return Verification(reference=index, status="unverified", detail=errors or "no answer", registries=registries)


def _search(client: RegistryClient, index: int, ref: Reference) -> Verification:
    if not ref.title:
        return Verification(reference=index, status="unverified", detail="the entry has no title to search for")
    text = query_text(ref)
    answers: list[tuple[str, Answer]] = []
    best: tuple[float, Record] | None = None
    for registry, ask in (("crossref", client.crossref_search), ("openalex", client.openalex_search)):
        answer = ask(text)
        answers.append((registry, answer))
        for record in _candidates(registry, answer):
            if accepts(ref, record):
                fit = score(ref, record)
                if best is None or fit > best[0]:
                    best = (fit, record)
        if best is not None:
            break
    registries = tuple(name for name, a in answers if a.ok)
    if best is not None:
        fit, record = best
        wrong = mismatches(ref, record)
        return Verification(index, "metadata-mismatch" if wrong else "ok", record, fit, wrong, registries=registries)
    if registries and all(a.ok for _, a in answers):
        return Verification(reference=index, status="not-found", registries=registries)
    errors = "; ".join(dict.fromkeys(a.error or f"answered {a.status}" for _, a in answers if not a.ok))
    # Nothing found, but not every registry could be asked: that is no evidence of absence.
    return Verification(reference=index, status="unverified", detail=errors or "no answer", registries=registries)


def _record(registry: str, answer: Answer) -> Record | None:
    if not answer.ok or not isinstance(answer.data, dict):
        return None
    if registry == "crossref":
        message = answer.data.get("message")
        return from_crossref(message) if isinstance(message, dict) else None
    return from_openalex(answer.data)


def _candidates(registry: str, answer: Answer) -> list[Record]:
    if not answer.ok or not isinstance(answer.data, dict):
        return []
    if registry == "crossref":
        items = (answer.data.get("message") or {}).get("items") or []
        return [from_crossref(item) for item in items if isinstance(item, dict)]
    return [from_openalex(item) for item in answer.data.get("results") or [] if isinstance(item, dict)]


def terminal_progress(done: int, total: int) -> None:
    """A one-line progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(1, total)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\rverifying references [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
    sys.stderr.flush()
