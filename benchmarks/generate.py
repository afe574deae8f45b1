"""Generate synthetic author-date manuscripts for the benchmark.

Everything is made up and deterministic: a seeded ``random.Random`` builds surnames from syllables,
prose from invented words, and an APA-style reference list that the body cites. No network, no data
files. A few percent of the citations are deliberately defective (a year off by one, a work that is
not listed, a misspelt surname, a page outside the listed range) and a few references are never
cited, so that every stage of the audit has real work to do.

Sizes scale together: per 1 KiB of manuscript there are 10 citations and 3.125 references, so the
1280 KiB ("1.3 MB") manuscript holds 12,800 citations and 4,000 references.

Usage::

    python3 benchmarks/generate.py --size 1280 -o paper.md            # one manuscript, size in KiB
    python3 benchmarks/generate.py --all DIR                          # the five benchmark sizes
    python3 benchmarks/generate.py --pathological DIR                 # the adversarial inputs
    python3 benchmarks/generate.py --size 1280 --defect-rate 1 --defect-kinds missing -o p.md
                                                   # every citation names a work that is not listed

Each run prints what it wrote (size, citations, references, defects); ``--all`` and ``--pathological``
also list their files in ``DIR/manifest.json``, which the benchmark reads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

KIB = 1024
SIZES_KIB = (80, 160, 320, 640, 1280)
CITATIONS_PER_KIB = 10.0
REFERENCES_PER_KIB = 3.125
DEFECT_RATE = 0.04  # share of citations that are defective
# Kinds of defect, drawn uniformly from this tuple: so a wrong year and a missing work are twice as
# likely as a misspelt name or a page outside the listed range.
DEFECT_KINDS = ("year", "year", "missing", "missing", "misspelt", "page")
UNCITED_RATE = 0.01  # share of references that nothing cites
SEED = 20250101

PATHOLOGICAL_PARENS = 300_000
PATHOLOGICAL_REPEATS = 100_000
PATHOLOGICAL_SAME_YEAR = 250  # entries by one author in one year

# -- words -------------------------------------------------------------------------------------------

_ONSETS = "b br bl d dr f fr g gr h j k kr kl l m n p pr pl r s sk st str t tr v w z ch sh th".split()
_VOWELS = "a e i o u a e i o ai ei au ou ia".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "k", "m", "nd", "rt", "st", "ck", "ng", "x"]
_SURNAME_ENDINGS = ["", "", "", "", "son", "sen", "berg", "stad", "ova", "ez", "ini", "ak", "ski", "er", "ley", "ton", "ard"]
_ACCENTED = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í"}

# Real function words keep the prose readable; everything else is invented.
_FUNCTION_WORDS = "the of and in to a is that for on with as by from at this which these their were was are be".split()
_VERBS = "found argued showed reported noted observed proposed suggested described demonstrated documented".split()
_CONNECTIVES = ["However,", "Moreover,", "In contrast,", "Similarly,", "Therefore,", "In particular,", "Overall,", "Thus,"]
_JOURNAL_HEADS = ["Journal of", "Annals of", "Review of", "Studies in", "Quarterly of", "Bulletin of", "Archives of"]
_PUBLISHERS = ["Meridian Press", "Halcyon University Press", "Northgate Publishing", "Ashdown Books", "Corvel Academic"]
_SECTION_WORDS = ["Background", "Context", "Design", "Approach", "Findings", "Evidence", "Discussion", "Synthesis", "Outlook"]

# Words the citation finder treats specially; a generated surname must not be one of them, or the
# audit would (rightly) refuse to read it as a name.
_RESERVED = frozenset(
    """
    see also but cf compare reviewed review in for from data adapted modified based on as cited by after following
    using both while whereas although though unlike like since because when where thus hence here then the a an
    this that these those and or nor yet so if unless until before during with without within according per via
    table figure box appendix section chapter model study work our their his her its we they he she it you
    january february march april may june july august september october november december spring summer autumn
    fall winter volume issue page version release edition update phase wave round year about
    van von der den de del della di da das dos du la le los las ten ter zu zur op het bin ibn al el st
    team group bank board union fund trust court press books
    """.split()
)


def _syllable(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)


def make_vocabulary(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct invented lowercase words of one to three syllables."""
    words: set[str] = set()
    while len(words) < n:
        w = "".join(_syllable(rng) for _ in range(rng.choice((1, 1, 2, 2, 2, 3))))
        if 2 <= len(w) <= 9 and w not in _RESERVED:
            words.add(w)
    return sorted(words)


def make_surnames(rng: random.Random, n: int, avoid: set[str]) -> list[str]:
    """``n`` distinct surnames built from syllables: "Brantova", "Skeilberg", "Mörast-Delin"."""
    names: set[str] = set()
    keys: set[str] = set()
    while len(names) < n:
        base = "".join(_syllable(rng) for _ in range(rng.choice((1, 2, 2)))) + rng.choice(_SURNAME_ENDINGS)
        if not 4 <= len(base) <= 11 or base in avoid or base in _RESERVED:
            continue
        r = rng.random()
        if r < 0.03:  # an accent, to exercise folding
            i = rng.randrange(1, len(base))
            if base[i] in _ACCENTED:
                base = base[:i] + _ACCENTED[base[i]] + base[i + 1 :]
        name = base.capitalize()
        if r > 0.98:  # a double-barrelled name
            other = _syllable(rng) + _syllable(rng)
            name = f"{name}-{other.capitalize()}"
        key = name.lower().replace("-", "")
        if key in keys:
            continue
        keys.add(key)
        names.add(name)
    out = sorted(names)
    rng.shuffle(out)
    return out


# -- references --------------------------------------------------------------------------------------


@dataclass
class Ref:
    authors: list[tuple[str, str]]  # (surname, initials as written: "A. B.")
    year: int
    first_page: int
    last_page: int
    text: str = ""

    @property
    def first(self) -> str:
        return self.authors[0][0]


def _initials(rng: random.Random) -> str:
    letters = "ABCDEFGHIJKLMNOPRSTVW"
    return " ".join(f"{rng.choice(letters)}." for _ in range(rng.choice((1, 1, 2))))


def _title(rng: random.Random, vocab: list[str], lo: int, hi: int) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(lo, hi))]
    for i in range(1, len(words) - 1):
        if rng.random() < 0.2:
            words[i] = rng.choice(_FUNCTION_WORDS[:8])
    title = " ".join(words).capitalize()
    if rng.random() < 0.1:
        title += ": " + " ".join(rng.choice(vocab) for _ in range(rng.randint(2, 4))).capitalize()
    return title


def _format_authors(authors: list[tuple[str, str]]) -> str:
    parts = [f"{s}, {i}" for s, i in authors]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + ", & " + parts[-1]


def _format_reference(rng: random.Random, ref: Ref, vocab: list[str], journals: list[str]) -> str:
    who = _format_authors(ref.authors)
    kind = rng.random()
    if kind < 0.8:
        journal = rng.choice(journals)
        volume = rng.randint(1, 60)
        issue = f"({rng.randint(1, 12)})" if rng.random() < 0.8 else ""
        text = f"{who} ({ref.year}). {_title(rng, vocab, 3, 7)}. *{journal}*, {volume}{issue}, {ref.first_page}–{ref.last_page}."
        if rng.random() < 0.3:
            text += f" https://doi.org/10.{rng.randint(1000, 9999)}/{rng.choice(vocab)}.{ref.year}.{rng.randint(100, 999)}"
        return text
    if kind < 0.93:
        return f"{who} ({ref.year}). *{_title(rng, vocab, 2, 6)}*. {rng.choice(_PUBLISHERS)}."
    editor = f"{_initials(rng)} {rng.choice(vocab).capitalize()}"
    return (
        f"{who} ({ref.year}). {_title(rng, vocab, 3, 7)}. In {editor} (Ed.), *{_title(rng, vocab, 2, 5)}* "
        f"(pp. {ref.first_page}–{ref.last_page}). {rng.choice(_PUBLISHERS)}."
    )


def make_references(rng: random.Random, n: int, surnames: list[str], vocab: list[str]) -> list[Ref]:
    """``n`` references whose (first author, year) pairs are all distinct; some authors have several works."""
    journals = [
        f"{rng.choice(_JOURNAL_HEADS)} {' '.join(w.capitalize() for w in rng.sample(vocab, rng.randint(1, 2)))}"
        for _ in range(80)
    ]
    refs: list[Ref] = []
    used: set[tuple[str, int]] = set()
    firsts = iter(surnames)
    recent: list[str] = []
    while len(refs) < n:
        if recent and rng.random() < 0.12:
            first = rng.choice(recent)  # a second work by an author already listed
        else:
            first = next(firsts)
            recent.append(first)
        year = rng.randint(1985, 2024)
        if (first, year) in used or (first, year - 1) in used or (first, year + 1) in used:
            continue  # keeps a deliberate year slip from landing on another listed work
        used.add((first, year))
        count = rng.choices((1, 2, 3, 4, 5), weights=(35, 35, 15, 10, 5))[0]
        co = [rng.choice(surnames) for _ in range(count - 1)]
        authors = [(first, _initials(rng))] + [(s, _initials(rng)) for s in co]
        first_page = rng.randint(1, 900)
        ref = Ref(authors=authors, year=year, first_page=first_page, last_page=first_page + rng.randint(8, 40))
        ref.text = _format_reference(rng, ref, vocab, journals)
        refs.append(ref)
    refs.sort(key=lambda r: (r.first.lower(), r.year))
    return refs


# -- citations ---------------------------------------------------------------------------------------


def _who(authors: list[str], narrative: bool) -> str:
    if len(authors) >= 3:
        return f"{authors[0]} et al."
    if len(authors) == 2:
        return f"{authors[0]} {'and' if narrative else '&'} {authors[1]}"
    return authors[0]


def _misspell(rng: random.Random, name: str) -> str:
    """Swap two neighbouring letters inside the name ("Brantova" -> "Branotva")."""
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


@dataclass
class Manuscript:
    text: str
    citations: int
    references: int
    defects: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        d = ", ".join(f"{k} {v}" for k, v in sorted(self.defects.items()))
        return f"{len(self.text.encode()):,} bytes, {self.citations:,} citations, {self.references:,} references; defects: {d}"


class _Writer:
    """Builds the body sentence by sentence, spreading the prose so the file lands on its size."""

    def __init__(
        self,
        rng: random.Random,
        vocab: list[str],
        refs: list[Ref],
        missing: list[str],
        defect_rate: float = DEFECT_RATE,
        defect_kinds: Sequence[str] = DEFECT_KINDS,
    ) -> None:
        self.rng = rng
        self.defect_rate = defect_rate
        self.defect_kinds = tuple(defect_kinds)
        self.vocab = vocab
        self.refs = refs
        self.missing = missing
        self.defects: Counter[str] = Counter()
        # running totals that let the body land on its size: bytes of prose per word, and bytes of
        # everything else (citations, brackets, verbs) per citation
        self.word_bytes, self.word_count = 7 * 50, 50
        self.cite_bytes, self.cite_count = 30 * 50, 50
        self._prose_in_sentence = 0
        order = list(range(len(refs)))
        rng.shuffle(order)
        uncited = max(1, round(UNCITED_RATE * len(refs)))
        self.never = set(order[:uncited])
        self.queue = order[uncited:]  # every other reference is cited at least once
        self.pool = order[uncited:]

    def _next_ref(self) -> Ref:
        i = self.queue.pop() if self.queue else self.rng.choice(self.pool)
        return self.refs[i]

    def cite(self, narrative: bool) -> str:
        """One citation, defective now and then: "Brant et al., 2019, p. 45" or "Brant et al. (2019)"."""
        rng = self.rng
        ref = self._next_ref()
        authors = [s for s, _ in ref.authors]
        year = ref.year
        page = ""
        if not narrative and rng.random() < 0.15:
            p = rng.randint(ref.first_page, ref.last_page)
            page = f", p. {p}" if rng.random() < 0.7 else f", pp. {p}–{p + rng.randint(1, 3)}"
        if rng.random() < self.defect_rate:
            kind = rng.choice(self.defect_kinds)
            if kind == "year":
                year += rng.choice((-1, 1))
            elif kind == "missing":
                authors = [rng.choice(self.missing), *authors[1:]]
            elif kind == "misspelt" and len(authors[0]) >= 6 and "-" not in authors[0]:
                authors = [_misspell(rng, authors[0]), *authors[1:]]
            elif kind == "page" and not narrative:
                page = f", p. {ref.last_page + rng.randint(50, 200)}"
            else:
                kind = "none"
            if kind != "none":
                self.defects[kind] += 1
        if narrative:
            return f"{_who(authors, True)} ({year})"
        return f"{_who(authors, False)}, {year}{page}"

    def words(self, n: int) -> str:
        rng = self.rng
        out = []
        for _ in range(n):
            out.append(rng.choice(_FUNCTION_WORDS) if rng.random() < 0.35 else rng.choice(self.vocab))
        text = " ".join(out)
        self.word_bytes += len(text) + 1
        self.word_count += n
        self._prose_in_sentence += len(text) + 1
        return text

    def plan(self, budget: int, ncites: int, remaining_cites: int) -> int:
        """How many prose words a sentence with ``ncites`` citations gets, ``budget`` bytes being left."""
        if ncites == 0:
            return self.rng.randint(8, 20)
        per_word = self.word_bytes / self.word_count
        per_cite = self.cite_bytes / self.cite_count
        share = budget * ncites / remaining_cites
        words = (share - per_cite * ncites) / per_word
        return max(3, round(words * self.rng.uniform(0.6, 1.4)))

    def sentence(self, prose_words: int, ncites: int) -> tuple[str, int]:
        """A sentence carrying ``ncites`` citations; returns it and the number of citations written."""
        self._prose_in_sentence = 0
        s = self._sentence(prose_words, ncites)
        if ncites:
            self.cite_bytes += len(s.encode()) + 1 - self._prose_in_sentence
            self.cite_count += ncites
        return s, ncites

    def _sentence(self, prose_words: int, ncites: int) -> str:
        rng = self.rng
        if ncites == 0:
            s = self.words(max(4, prose_words))
            if rng.random() < 0.1:
                s += f" (n = {rng.randint(12, 999)})"
            return s[0].upper() + s[1:] + "."
        style = rng.random()
        if style < 0.25:
            # narrative opening: "Brant et al. (2019) found that ..."
            lead = self.cite(narrative=True)
            rest = ncites - 1
            tail = f" ({'; '.join(self.cite(False) for _ in range(rest))})" if rest else ""
            s = f"{lead} {rng.choice(_VERBS)} that {self.words(max(3, prose_words - 2))}{tail}."
        elif style < 0.35:
            # narrative inside: "..., as Brant (2019) showed."
            lead = self.cite(narrative=True)
            rest = ncites - 1
            tail = f" ({'; '.join(self.cite(False) for _ in range(rest))})" if rest else ""
            s = f"{self.words(max(3, prose_words - 3))}, as {lead} {rng.choice(_VERBS)}{tail}."
            s = s[0].upper() + s[1:]
        else:
            cites = "; ".join(self.cite(False) for _ in range(ncites))
            if rng.random() < 0.05:
                cites = f"see also {cites}"
            s = f"{self.words(max(4, prose_words))} ({cites})."
            s = s[0].upper() + s[1:]
        if rng.random() < 0.12:
            # a connective before the sentence; a name that opens it keeps its capital
            s = f"{rng.choice(_CONNECTIVES)} {s if style < 0.25 else s[0].lower() + s[1:]}"
        return s


def generate(
    size_kib: float,
    seed: int = SEED,
    citations: int | None = None,
    references: int | None = None,
    defect_rate: float = DEFECT_RATE,
    defect_kinds: Sequence[str] = DEFECT_KINDS,
) -> Manuscript:
    """A manuscript of about ``size_kib`` KiB; counts default to the per-KiB densities above."""
    rng = random.Random(f"{seed}-{size_kib:g}")
    target = int(size_kib * KIB)
    n_cit = citations if citations is not None else round(size_kib * CITATIONS_PER_KIB)
    n_ref = references if references is not None else round(size_kib * REFERENCES_PER_KIB)
    vocab = make_vocabulary(rng, 3000)
    surnames = make_surnames(rng, n_ref + max(50, n_ref // 10) + 200, avoid=set(vocab))
    missing = surnames[-max(50, n_ref // 10) :]  # never listed: cited by the "missing reference" defects
    refs = make_references(rng, n_ref, surnames[: -len(missing)], vocab)
    ref_block = "## References\n\n" + "\n\n".join(r.text for r in refs) + "\n"

    writer = _Writer(rng, vocab, refs, missing, defect_rate, defect_kinds)
    title = f"# {_title(rng, vocab, 4, 8)}\n\n"
    body_budget = target - len(ref_block.encode()) - len(title.encode())
    parts: list[str] = [title]
    written = 0  # bytes of body so far
    made = 0
    paragraph: list[str] = []
    section = 0
    while made < n_cit or written < body_budget * 0.995:
        remaining_cites = n_cit - made
        if remaining_cites > 0:
            ncites = rng.choices((0, 1, 1, 1, 2, 2, 3), k=1)[0]
            ncites = min(ncites, remaining_cites)
        else:
            ncites = 0
        # prose per sentence is re-planned as we go, so that the size comes out right
        s, k = writer.sentence(writer.plan(body_budget - written, ncites, remaining_cites), ncites)
        made += k
        paragraph.append(s)
        written += len(s.encode()) + 1
        if len(paragraph) >= rng.randint(4, 8) or (made >= n_cit and written >= body_budget * 0.995):
            text = "\n".join(textwrap.wrap(" ".join(paragraph), width=100, break_on_hyphens=False))
            if section == 0 or rng.random() < 0.08:
                head = "## Introduction" if section == 0 else f"## {rng.choice(_SECTION_WORDS)} of {rng.choice(vocab)}"
                text = f"{head}\n\n{text}"
                section += 1
            parts.append(text + "\n\n")
            written += 2
            paragraph = []
    parts.append(ref_block)
    defects = writer.defects + Counter(uncited=len(writer.never))
    return Manuscript(text="".join(parts), citations=made, references=len(refs), defects=defects)


# -- pathological inputs -----------------------------------------------------------------------------

_SHORT_LIST = """## References

Smith, J. (2019). Repetition in manuscripts. *Journal of Stress Tests*, 4(2), 10–20.

Jones, K., & Smith, J. (2020). Brackets without end. *Review of Edge Cases*, 7(1), 1–15.
"""
_SHORT_BODY = "Repetition has been studied before (Smith, 2019; Jones & Smith, 2020, p. 4).\n\n"


def same_author_year(n: int, seed: int = SEED) -> str:
    """A short text whose reference list holds ``n`` different works by "Smith, J." all from 2019.

    Titles differ in their words, not only in their numbers, so that no entry reads as a running header.
    """
    rng = random.Random(f"{seed}-same-author-year")
    vocab = make_vocabulary(rng, 500)
    entries = [
        f"Smith, J. (2019). {_title(rng, vocab, 4, 8)}. *Journal of {rng.choice(vocab).capitalize()}*, "
        f"{rng.randint(1, 60)}({rng.randint(1, 12)}), {i + 1}–{i + 12}."
        for i in range(n)
    ]
    return "Smith was prolific that year (Smith, 2019).\n\n## References\n\n" + "\n\n".join(entries) + "\n"


def pathological(
    repeats: int = PATHOLOGICAL_REPEATS, parens: int = PATHOLOGICAL_PARENS, same_year: int = PATHOLOGICAL_SAME_YEAR
) -> dict[str, str]:
    """Adversarial manuscripts.

    Each of these is followed by a short valid reference list: ``open-parens``: 300,000 ``(`` in one
    run; ``name-spaces``: "Smith Smith ... Smith (2019)"; ``name-commas``: "Smith, Smith, ..., Smith
    (2019)"; ``name-commas-bracket``: the same list inside one bracket pair ending in a year, "(Smith,
    Smith, ..., 2019)". And ``same-author-year`` is a reference list of 250 works by one author in
    one year (the checks that compare entries pairwise meet their worst case).
    """
    return {
        "open-parens": "(" * parens + "\n\n" + _SHORT_BODY + _SHORT_LIST,
        "name-spaces": "Smith " * repeats + "(2019) repeated the name.\n\n" + _SHORT_BODY + _SHORT_LIST,
        "name-commas": "Smith, " * repeats + "Smith (2019) repeated the name.\n\n" + _SHORT_BODY + _SHORT_LIST,
        "name-commas-bracket": "(" + "Smith, " * repeats + "2019).\n\n" + _SHORT_BODY + _SHORT_LIST,
        "same-author-year": same_author_year(same_year),
    }


# -- command line ------------------------------------------------------------------------------------


def size_name(size_kib: float) -> str:
    """ "80KB" ... "640KB", "1.3MB" (1280 KiB is 1.31 million bytes)."""
    return f"{size_kib * KIB / 1e6:.1f}MB" if size_kib >= 1000 else f"{size_kib:g}KB"


MANIFEST = "manifest.json"


def _record(directory: Path, entries: list[dict[str, object]]) -> None:
    """Add ``entries`` to DIR/manifest.json (one entry per file, keyed by file name)."""
    path = directory / MANIFEST
    known = {e["file"]: e for e in json.loads(path.read_text(encoding="utf-8"))} if path.exists() else {}
    known.update({e["file"]: e for e in entries})
    path.write_text(json.dumps(list(known.values()), indent=1) + "\n", encoding="utf-8")


def write_all(directory: Path, sizes: Sequence[float] = SIZES_KIB, seed: int = SEED) -> list[tuple[Path, Manuscript]]:
    """Write one manuscript per size into ``directory`` and list them in its manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for size in sizes:
        m = generate(size, seed)
        path = directory / f"synthetic-{size_name(size)}.md"
        path.write_text(m.text, encoding="utf-8")
        out.append((path, m))
    entries: list[dict[str, object]] = [
        {
            "file": path.name,
            "kind": "synthetic",
            "label": size_name(size),
            "bytes": path.stat().st_size,
            "citations": m.citations,
            "references": m.references,
            "defects": dict(m.defects),
        }
        for size, (path, m) in zip(sizes, out, strict=True)
    ]
    _record(directory, entries)
    return out


def write_pathological(
    directory: Path,
    repeats: int = PATHOLOGICAL_REPEATS,
    parens: int = PATHOLOGICAL_PARENS,
    same_year: int = PATHOLOGICAL_SAME_YEAR,
) -> list[Path]:
    """Write the adversarial manuscripts into ``directory`` and list them in its manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in pathological(repeats, parens, same_year).items():
        path = directory / f"pathological-{name}.md"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    _record(directory, [{"file": p.name, "kind": "pathological", "label": p.stem, "bytes": p.stat().st_size} for p in out])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--size", type=float, help="size of one manuscript in KiB (1280 = about 1.3 MB)")
    what.add_argument("--all", type=Path, metavar="DIR", help="write one manuscript per --sizes into DIR, with DIR/manifest.json")
    what.add_argument("--pathological", type=Path, metavar="DIR", help="write the adversarial inputs into DIR")
    p.add_argument("-o", "--output", type=Path, help="with --size: the file to write (default: stdout)")
    p.add_argument(
        "--sizes", type=float, nargs="+", default=list(SIZES_KIB), help=f"with --all: sizes in KiB (default {SIZES_KIB})"
    )
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--citations", type=int, help="with --size: number of citations (default: 10 per KiB)")
    p.add_argument("--references", type=int, help="with --size: number of references (default: 3.125 per KiB)")
    p.add_argument(
        "--defect-rate", type=float, default=DEFECT_RATE, help=f"with --size: share of defective citations ({DEFECT_RATE})"
    )
    p.add_argument(
        "--defect-kinds", default=",".join(sorted(set(DEFECT_KINDS))), help="with --size: comma-separated kinds to draw from"
    )
    p.add_argument("--repeats", type=int, default=PATHOLOGICAL_REPEATS, help="with --pathological: name repetitions")
    p.add_argument("--parens", type=int, default=PATHOLOGICAL_PARENS, help="with --pathological: open brackets")
    p.add_argument(
        "--same-year", type=int, default=PATHOLOGICAL_SAME_YEAR, help="with --pathological: works by one author in one year"
    )
    args = p.parse_args(argv)
    if args.all:
        for path, m in write_all(args.all, args.sizes, seed=args.seed):
            print(f"{path}: {m.summary()}", file=sys.stderr)
    elif args.pathological:
        for path in write_pathological(args.pathological, args.repeats, args.parens, args.same_year):
            print(f"{path}: {path.stat().st_size:,} bytes", file=sys.stderr)
    else:
        kinds = args.defect_kinds.split(",") if args.defect_kinds != ",".join(sorted(set(DEFECT_KINDS))) else DEFECT_KINDS
        unknown = set(kinds) - set(DEFECT_KINDS)
        if unknown:
            p.error(f"unknown defect kinds: {', '.join(sorted(unknown))}")
        m = generate(args.size, args.seed, args.citations, args.references, args.defect_rate, kinds)
        if args.output:
            args.output.write_text(m.text, encoding="utf-8")
        else:
            sys.stdout.write(m.text)
        print(f"{args.output or '<stdout>'}: {m.summary()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
