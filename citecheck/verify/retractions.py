"""A local copy of the Retraction Watch data (``--retractions FILE``), read offline.

Input: the CSV that Crossref distributes (one row per notice: ``OriginalPaperDOI``,
``RetractionNature``, ``RetractionDate``, ``RetractionDOI`` and others) and the verdicts of a run.
Output: the same verdicts, each work's record carrying the notices the file lists for its DOI.
Nothing is sent anywhere: the file is read where it is, as it is.

A row is a notice of the work whose DOI is in ``OriginalPaperDOI``: "Retraction",
"Expression of concern" or "Correction" (``RetractionNature``). A "Reinstatement" undoes the
retractions dated before it. Rows without a DOI, with another nature, or unreadable cells are
left out; a file without the columns needed is refused in one line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from citecheck.cache import regex
from citecheck.errors import InputError
from citecheck.model import Record, Reference, Update, Verification
from citecheck.read import _looks_binary as looks_binary
from citecheck.read import check_file as check_input
from citecheck.verify.records import RETRACTING, normalise_doi

COLUMNS = ("OriginalPaperDOI", "RetractionNature")
_NATURES = {
    "retraction": "retraction",
    "expression of concern": "expression_of_concern",
    "correction": "correction",
    "reinstatement": "reinstatement",
}
SOURCE = "retraction-watch"
MAX_CELL = 16 * 2**20  # characters in one cell; the file's longest are notes of a few KB
# "3/21/2023 0:00" as the file writes dates (month first); ISO dates are taken as they are.
_US_DATE = regex(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?")
_ISO_DATE = regex(r"(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?")
_DOI = regex(r"10\.\d{4,9}/\S+")

Notices = dict[str, tuple[Update, ...]]  # a work's DOI (lower case) -> its notices, oldest first


def check_file(path: Path) -> None:
    """Refuse, in one line, a file that is not a Retraction Watch CSV; before anything is asked."""
    with _opened(path) as text:
        header = next(csv.reader(text), None)
    _columns(path, header)


def read_notices(path: Path, wanted: Collection[str] | None = None) -> Notices:
    """The notices of the works in ``wanted`` (lower-case DOIs; None: every work)."""
    rows: dict[str, list[Update]] = {}
    limit = csv.field_size_limit(MAX_CELL)  # a long "Notes" cell is no reason to refuse the file
    with _opened(path) as text:
        reader = csv.reader(text)
        where = _columns(path, next(reader, None))
        try:
            width, original, kind = max(where.values()), where["OriginalPaperDOI"], where["RetractionNature"]
            for row in reader:
                if len(row) <= width:
                    continue
                cell = row[original].strip().lower()
                dois = [cell] if cell.startswith("10.") and " " not in cell else _dois(cell)
                if wanted is not None:
                    dois = [d for d in dois if d in wanted]
                nature = _NATURES.get(row[kind].strip().lower()) if dois else None
                for doi in dois if nature else ():
                    rows.setdefault(doi, []).append(_update(row, where, nature))
        except csv.Error as exc:
            raise InputError(f"{path}: not a readable Retraction Watch CSV ({exc})") from exc
        finally:
            csv.field_size_limit(limit)
    return {doi: _in_force(updates) for doi, updates in rows.items()}


def with_notices(
    verifications: Sequence[Verification], references: Sequence[Reference], notices: Mapping[str, tuple[Update, ...]]
) -> list[Verification]:
    """Each verdict with the file's notices of its work added to its record. A record's DOI says
    which work it is; with no record (the registries could not be asked), the entry's DOI does,
    and the record is the file's. A DOI found to be another work's, or no work's, gets nothing."""
    out = []
    for v in verifications:
        if v.status in ("doi-mismatch", "doi-not-found", "doi-invalid") or not notices:
            out.append(v)
            continue
        if v.record is not None:
            listed = notices.get((v.record.doi or "").lower(), ())
            out.append(replace(v, record=_merged(v.record, listed)) if listed else v)
            continue
        doi = normalise_doi(references[v.reference].doi or "")
        listed = notices.get(doi, ())
        if not listed:
            out.append(v)
            continue
        record = Record(registry=SOURCE, id=doi, doi=doi, retracted=_retracts(listed), updates=listed)
        out.append(replace(v, record=record))
    return out


def wanted_dois(verifications: Iterable[Verification], references: Sequence[Reference]) -> set[str]:
    """The DOIs whose notices a run needs: its records' and its entries'."""
    out = set()
    for v in verifications:
        if v.record is not None and v.record.doi:
            out.add(v.record.doi.lower())
        if references[v.reference].doi:
            out.add(normalise_doi(references[v.reference].doi or ""))
    return out


def _merged(record: Record, listed: tuple[Update, ...]) -> Record:
    """The record with the file's notices it does not already carry (Crossref also serves
    Retraction Watch's notices: the same kind with the same notice DOI is one notice)."""
    have = {(u.kind, (u.doi or "").lower()) for u in record.updates}
    new = tuple(u for u in listed if (u.kind, (u.doi or "").lower()) not in have)
    if not new:
        return record
    updates = record.updates + new
    return replace(record, updates=updates, retracted=record.retracted or _retracts(new))


def _retracts(updates: Iterable[Update]) -> bool:
    return any(u.kind in RETRACTING for u in updates)


def _in_force(updates: list[Update]) -> tuple[Update, ...]:
    """Oldest first; the retractions a later reinstatement undid left out, and the reinstatements."""
    updates.sort(key=lambda u: u.date or "")
    out: list[Update] = []
    for u in updates:
        if u.kind == "reinstatement":
            out = [o for o in out if not (o.kind in RETRACTING and (o.date or "") <= (u.date or "9999"))]
        else:
            out.append(u)
    return tuple(out)


def _update(row: list[str], where: dict[str, int], nature: str) -> Update:
    date = _date(row[where["RetractionDate"]]) if "RetractionDate" in where else None
    notice = None
    if "RetractionDOI" in where:
        found = _dois(row[where["RetractionDOI"]])
        notice = found[0] if found else None
    return Update(kind=nature, source=SOURCE, doi=notice, date=date)


def _dois(cell: str) -> list[str]:
    """The DOIs in a cell ("unavailable", empty, or one DOI; now and then several)."""
    return [normalise_doi(m.rstrip(".;,")) for m in _DOI.findall(cell or "")]


def _date(cell: str) -> str | None:
    cell = (cell or "").strip()
    if m := _ISO_DATE.fullmatch(cell):
        return f"{m[1]}-{m[2]}-{m[3]}"
    if m := _US_DATE.fullmatch(cell):
        month, day = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{m[3]}-{month:02d}-{day:02d}"
    return None


def _columns(path: Path, header: list[str] | None) -> dict[str, int]:
    names = {name.strip().lstrip("\ufeff"): i for i, name in enumerate(header or ())}
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InputError(f"{path}: not a Retraction Watch CSV (no {' or '.join(missing)} column)")
    return {c: names[c] for c in (*COLUMNS, "RetractionDate", "RetractionDOI") if c in names}


@contextmanager
def _opened(path: Path) -> Iterator[io.TextIOWrapper]:
    """The file as text: UTF-8 (with or without a byte-order mark), else Latin-1, in which every
    byte is a character. What read.check_file refuses for a manuscript (no file, a directory, a
    pipe or a device, over 200 MiB) is refused here too, and so is a binary file, in one line."""
    if not path.exists():
        raise InputError(f"{path}: cannot read the Retraction Watch file (no such file)")
    check_input(str(path), "Retraction Watch")  # opening a pipe would wait for a writer forever
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the Retraction Watch file ({exc.strerror or exc})") from exc
    with raw:
        head = raw.read(1 << 16)
        raw.seek(0)
        if looks_binary(head):
            raise InputError(f"{path}: not a Retraction Watch CSV (a binary file)")
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError as exc:
            # a character cut at the end of the sample is still UTF-8
            encoding = "utf-8-sig" if exc.start >= len(head) - 3 else "latin-1"
        # The cells read are DOIs, natures and dates: a stray byte elsewhere costs nothing.
        with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text:
            yield text
