"""The invented scholarly works the fake registry serves, and the 100-reference acceptance bibliography.

This module owns the catalogue (DOIs, titles, authors, dates, venues, editorial updates, OpenAlex
ids), its rendering in the two registries' documented JSON shapes (a Crossref ``message`` and an
OpenAlex Work object), and the acceptance scenario built from it. Everything is generated from a
fixed seed, so two runs (and two machines) see the same works; nothing is read from disk.

Shapes follow the public documentation: Crossref's REST API format (``api_format.md`` in
CrossRef/rest-api-doc: Work, Contributor, Date, Partial Date, Update) plus the Retraction Watch
fields Crossref added to ``updated-by`` in 2024 (``source``, ``record-id``); OpenAlex's Work,
Authorship and Location objects (docs.openalex.org, developers.openalex.org).

Run ``python3 tests/registry_catalogue.py`` to rewrite the bibliography files in
``tests/data/registry/`` after changing the scenario (a test checks that they are in step).
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

DOI_PREFIX = "10.5555"  # Crossref's example prefix: no real work can collide with the catalogue
SEED = 20240611
DATA_DIR = Path(__file__).resolve().parent / "data" / "registry"
INDEXED = (2025, 1, 15)  # one fixed "indexed" date, so that responses are byte-for-byte stable

WorkType = Literal["journal-article", "book", "book-chapter"]
Verdict = Literal["ok", "reference-not-found", "metadata-mismatch", "retracted-work", "unverified", "doi-not-found"]

RETRACTED_PREFIX = "RETRACTED: "  # how some publishers re-title a retracted article in its metadata

# --- Text helpers (shared with the fake registry's search) ------------------------------------

# Letters NFKD does not decompose into a base letter plus a mark.
_FOLD_EXTRA = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "đ": "d", "ı": "i"})

STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or that the their this to with"
    " der die das den dem des und im in zur zum ein eine über la le les des du de en et une un"
    " el los las del y por para".split()
)


def fold(text: str) -> str:
    """Lower case, accents removed: the form in which two spellings of a name or title compare."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The folded alphanumeric words of a text, in order."""
    return re.findall(r"[a-z0-9]+", fold(text))


def content_words(text: str) -> set[str]:
    """Folded words without stop words: what two titles share when they are about the same thing."""
    return {w for w in words(text) if w not in STOP_WORDS}


# --- The work record ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    """One editorial update, as Crossref lists it under ``updated-by`` (or ``update-to`` on a notice)."""

    type: str  # "retraction", "expression_of_concern" or "correction"
    doi: str  # the notice's DOI under updated-by; the updated work's DOI under update-to
    source: str  # "publisher" or "retraction-watch"
    date: tuple[int, int, int]
    record_id: str | None = None  # Retraction Watch's record number; only with that source

    @property
    def label(self) -> str:
        return {"retraction": "Retraction", "expression_of_concern": "Expression of concern", "correction": "Correction"}[
            self.type
        ]


@dataclass(frozen=True)
class Work:
    """A work as the registries know it. ``title`` is the registered title (it may carry "RETRACTED: ")."""

    index: int
    doi: str
    openalex_id: str
    type: WorkType
    title: str
    authors: tuple[tuple[str, str], ...]  # (given, family)
    year: int  # the print year: the year a reference list usually gives
    month: int
    day: int
    publisher: str
    online_year: int | None = None  # for a few: online first, one year before print
    online_month: int | None = None  # online first in the same year as print (for some articles)
    container: str | None = None  # journal (articles) or edited book (chapters)
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    article_number: str | None = None
    language: str = "en"
    issn: tuple[str, ...] = ()
    isbn: tuple[str, ...] = ()
    editors: tuple[tuple[str, str], ...] = ()
    subtitle: str | None = None
    orcids: tuple[str | None, ...] = ()
    updated_by: tuple[Update, ...] = ()
    update_to: tuple[Update, ...] = ()
    merged_ids: tuple[str, ...] = ()  # older OpenAlex ids merged into this work (they answer 301)
    reviews_doi: str | None = None  # a book review: the DOI of the book it reviews
    in_crossref: bool = True
    in_openalex: bool = True
    cited_by: int = 0
    references_count: int = 0
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def plain_title(self) -> str:
        """The title as an author would cite it: without a "RETRACTED: " label added afterwards."""
        return self.title.removeprefix(RETRACTED_PREFIX)

    @property
    def is_retracted(self) -> bool:
        return any(u.type == "retraction" for u in self.updated_by)

    @property
    def issued(self) -> tuple[int, int, int]:
        """Crossref's ``issued``: the earlier of the print and online dates."""
        if self.online_year is not None:
            return (self.online_year, 11, min(self.day, 28))
        if self.online_month is not None:
            return (self.year, self.online_month, self.day)
        return (self.year, self.month, self.day)

    @property
    def pages(self) -> str | None:
        if self.first_page and self.last_page and self.first_page != self.last_page:
            return f"{self.first_page}-{self.last_page}"
        return self.first_page

    @property
    def kind(self) -> str:
        return {"journal-article": "article", "book": "book", "book-chapter": "chapter"}[self.type]


# --- Vocabulary: invented, but shaped like real titles, names and venues --------------------------

GIVEN = (
    "Maria", "James", "Aiko", "Oluwaseun", "Ingrid", "Rafael", "Mei", "Tomasz", "Fatima", "Lars",
    "Priya", "Dmitri", "Chloé", "Kwame", "Sofia", "Henrik", "Yusuf", "Elena", "Mateus", "Hannah",
    "Jun", "Amara", "Pieter", "Lucía", "Ravi", "Agnieszka", "Thomas", "Nadia", "Björn", "Grace",
    "Kenji", "Zeynep", "Olivier", "Ama", "Sebastián", "Marta", "Daniel", "Leila", "Jonas", "Rosa",
    "Anh", "Wiremu", "Freya", "Matteo", "Ayesha", "Emil", "Catalina", "Samuel", "Noor", "Ruth",
    "Maria José", "Jean-Luc", "Anna-Lena", "Hyun-woo", "Sean", "Irene", "Felix", "Dilnoza", "Paul", "Katarzyna",
)  # fmt: skip
FAMILY = (
    "Okafor", "Lindqvist", "Tanaka", "Moreau", "Schmidt", "Haddad", "Kowalczyk", "Nguyen", "Fernández", "Østergaard",
    "Mensah", "Ivanova", "Patel", "Brennan", "Sato", "Müller", "García", "Hughes", "Castillo", "Novak",
    "Abebe", "Zhang", "Rossi", "Dubois", "Kaur", "Andersen", "Silva", "Whitfield", "Yilmaz", "Costa",
    "Nakamura", "Petrova", "Osei", "Bergström", "O'Connor", "Hernández", "Kim", "Wójcik", "Laurent", "Achterberg",
    "Eriksen", "Mwangi", "Chen", "Baptiste", "Horvath", "Rahman", "Fitzgerald", "Takahashi", "Álvarez", "Jovanović",
    "van der Berg", "de la Cruz", "Ben-David", "MacLeod", "Nilsson", "Adeyemi", "Kovač", "Pereira", "Lefebvre", "Hoffmann",
    "Sørensen", "Quispe", "Murphy", "Yamamoto", "Çelik", "Dimitriou", "Ncube", "Grünewald", "Herrera", "Lindgren",
    "Park", "Bianchi", "Szabó", "Ogunleye", "Weiss", "Ramírez", "Holm", "Kapoor", "Fischer", "Sánchez",
)  # fmt: skip

TOPICS = (
    "soil carbon turnover", "urban heat islands", "groundwater recharge", "migratory songbird populations",
    "coastal wetland loss", "wildfire smoke exposure", "pollinator decline", "household energy use",
    "rural broadband adoption", "teacher turnover", "adolescent sleep duration", "hospital readmission rates",
    "antibiotic prescribing", "microplastic deposition", "coral reef bleaching", "glacier mass balance",
    "river sediment transport", "peatland restoration", "invasive crayfish spread", "urban tree canopy",
    "bicycle commuting", "informal credit markets", "remittance flows", "minimum wage changes",
    "municipal water pricing", "public library use", "language attrition", "bilingual reading development",
    "dialect levelling", "archival metadata quality", "open peer review", "citation accuracy",
    "research data reuse", "software citation practices", "preprint uptake", "museum visitor behaviour",
    "heritage site tourism", "ferry network resilience", "freight rail electrification", "battery recycling",
    "rooftop solar adoption", "wind farm siting", "smallholder irrigation", "seed bank viability",
    "livestock heat stress", "fish stock recovery", "kelp forest decline", "bat roost disturbance",
    "amphibian chytrid infection", "street lighting and crime", "emergency department crowding",
    "nurse staffing levels", "telehealth consultations", "vaccine hesitancy", "childhood myopia",
    "dental caries in children", "hearing loss in older adults", "shift work and metabolic health",
    "noise exposure and blood pressure", "snowpack variability", "lake ice phenology", "mangrove carbon stocks",
    "informal settlement upgrading", "cooperative housing", "food bank use", "school meal programmes",
)  # fmt: skip
PLACES = (
    "northern Scandinavia", "the Mekong delta", "coastal Portugal", "the Andean highlands", "sub-Saharan Africa",
    "post-industrial England", "the Great Lakes region", "rural Bavaria", "southern Chile", "the Baltic states",
    "New England", "the Pearl River delta", "eastern Anatolia", "Patagonia", "the Scottish Highlands",
    "Mediterranean islands", "the Sahel", "central Mexico", "Tasmania", "the Carpathian basin", "Atlantic Canada",
    "the Nile valley", "inland Queensland", "the Po plain", "western Kenya",
)  # fmt: skip
STUDY_TYPES = (
    "a panel study", "a systematic review", "a randomized field experiment", "a cohort study", "a spatial analysis",
    "a comparative case study", "a natural experiment", "a mixed-methods study", "a longitudinal analysis",
    "a meta-analysis", "a qualitative study", "a Bayesian reanalysis",
)  # fmt: skip
METHODS = (
    "Bayesian estimation", "Remote sensing", "Agent-based simulation", "Causal inference", "Machine-learning prediction",
    "Isotopic tracing", "Network analysis", "Survival modelling", "Participatory mapping", "Acoustic monitoring",
)  # fmt: skip
CONDITIONS = (
    "sparse data", "climate uncertainty", "measurement error", "budget constraints", "rapid urbanisation",
    "policy change", "seasonal drought", "missing records",
)  # fmt: skip
OUTCOMES = (
    "school attendance", "local employment", "species richness", "maternal health", "household savings", "crop yields",
    "commuting times", "trust in science", "housing prices", "voter turnout", "child growth", "hospital costs",
)  # fmt: skip
ADJECTIVES = ("hierarchical", "spatially explicit", "stochastic", "dynamic", "parsimonious", "mechanistic", "two-stage")
DATA = (
    "satellite imagery", "administrative records", "citizen science data", "mobile phone data", "tax registers",
    "environmental DNA", "household surveys",
)  # fmt: skip
EVENTS = (
    "the 2008 financial crisis", "dam removal", "the pandemic", "repeated flooding", "school closures", "a wildfire season",
    "a pension reform", "land privatisation",
)  # fmt: skip
POPULATIONS = (
    "older adults", "smallholder farmers", "first-year students", "migrant workers", "urban cyclists", "coastal fishers",
    "night-shift nurses", "secondary school teachers",
)  # fmt: skip
TEMPLATES = (
    "{Topic} in {place}: {study}",
    "{Method} of {topic} under {condition}",
    "The effect of {topic} on {outcome}",
    "{Topic} and {topic2}: evidence from {place}",
    "Rethinking {topic}: {study}",
    "Long-term trends in {topic} across {place}",
    "What drives {topic}? {Study} from {place}",
    "A {adjective} model of {topic}",
    "Measuring {topic} with {data}",
    "{Topic} after {event}",
    "Spatial variation in {topic} among {population}",
    "Does {topic} affect {outcome}? {Study}",
)

JOURNALS = (
    "Journal of Applied Ecohydrology", "Urban Systems Review", "Quarterly Journal of Rural Economics",
    "Northern Health Studies", "Scholarly Communication Quarterly", "Transport and Society",
    "Coastal and Estuarine Letters", "International Journal of Learning Outcomes", "Review of Development Finance",
    "Energy Transitions Research", "Freshwater Biology Reports", "Language Change and Contact",
    "Heritage and Visitor Studies", "Clinical Practice Evidence", "Computational Ecology Letters",
    "Journal of Spatial Demography", "Soil Systems and Processes", "Public Health Methods",
    "Archives of Data Stewardship", "Climate and Cryosphere Notes",
)  # fmt: skip
PUBLISHERS = (
    "Northbridge Academic Press", "Harrow & Lyle", "Meridian University Press", "Bellwether Scientific",
    "Kestrel Open", "Orchard Lane Publishing",
)  # fmt: skip

BOOK_TITLES = (
    "Cities of Water: A History of Urban Drainage",
    "The Quiet Archive: Metadata, Memory and the Modern Library",
    "Fields in Motion: Smallholder Farming in a Changing Climate",
    "Counting the Uncounted: Informal Economies and Their Measurement",
    "Salt and Silt: Deltas Under Pressure",
    "The Commuter's Century: Transport and Everyday Life",
    "Learning to Read Twice: Bilingual Childhoods",
    "After the Mine: Landscapes of Post-Industrial Repair",
    "Wards and Waiting Rooms: An Ethnography of Hospital Time",
    "Owls, Bats and Night Ecology",
    "Small Islands, Large Seas: Fisheries and Governance",
    "Grid and Sun: The Politics of Rooftop Energy",
)
EDITED_BOOKS = (
    ("Handbook of Environmental Data Practice", 2019),
    ("Methods for Health Services Research: A Reader", 2021),
)
CHAPTER_TITLES = (
    "Provenance and trust in shared environmental datasets",
    "Field notebooks as primary data",
    "Versioning long-term monitoring records",
    "Licensing and reuse of ecological observations",
    "Data papers and their citation",
    "Designing pragmatic trials in primary care",
    "Linking hospital episode records",
    "Qualitative interviews with clinical staff",
    "Economic evaluation alongside trials",
    "Reporting guidelines and their uptake",
)
FOREIGN = (  # (language, title, journal)
    ("de", "Über die Entwicklung der Stadtökologie im ländlichen Raum", "Zeitschrift für Landschaftsforschung"),
    ("de", "Flächenversiegelung und Grundwasserneubildung in Mittelgebirgsregionen", "Zeitschrift für Landschaftsforschung"),
    ("de", "Mobilitätswende in Kleinstädten: Eine Fallstudie aus Thüringen", "Zeitschrift für Landschaftsforschung"),
    ("fr", "La gentrification des centres anciens en Provence : une analyse spatiale", "Revue d'études urbaines"),
    ("fr", "Les bibliothèques publiques face au numérique : enquête auprès des usagers", "Revue d'études urbaines"),
    ("fr", "Érosion côtière et politiques de relocalisation en Normandie", "Revue d'études urbaines"),
    ("es", "El papel de las cooperativas agrícolas en la adaptación a la sequía", "Revista de Estudios Rurales"),
    ("es", "Migración estacional y escolarización en el altiplano boliviano", "Revista de Estudios Rurales"),
)

# Invented for the fabricated references only: none of these words or names occurs in the catalogue.
FAKE_TOPICS = (
    "deep-sea sponge symbiosis", "tidal lagoon acceptance", "clay tablet conservation", "volcanic ash aviation risk",
    "lichen air-quality indicators", "hydrogen bus fleets", "apprenticeship completion", "sourdough microbial ecology",
    "glass eel trafficking", "snow leopard corridors", "opera house acoustics", "escape room pedagogy",
)  # fmt: skip
FAKE_FRAMES = (
    "{Topic}: a {adjective} assessment",
    "Towards sustainable {topic}",
    "Revisiting {topic} with novel indicators",
    "{Topic} in transition: lessons from pilot schemes",
    "An integrated framework for {topic}",
    "Hidden costs of {topic}",
)
FAKE_ADJECTIVES = ("multi-criteria", "participatory", "longitudinal", "cross-national", "probabilistic", "stakeholder-led")
FAKE_GIVEN = ("Orla", "Benedikt", "Xiomara", "Torvald", "Priyanka", "Casimir", "Lowri", "Idris", "Margit", "Teodor")
FAKE_FAMILY = (
    "Quennell", "Ostrowska", "Thibodeaux", "Vantongeren", "Ashgrove", "Pellegrini-Moss", "Ravensworth", "Kilbride",
    "Dunleavy", "Strathearn", "Montrose", "Halvorsen-Pike",
)  # fmt: skip


# --- Check digits, so that identifiers look and validate like real ones ---------------------------


def _issn(seed: int) -> str:
    digits = f"{seed % 10_000_000:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _isbn13(seed: int) -> str:
    digits = f"978{seed % 1_000_000_000:09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def _orcid(seed: int) -> str:
    digits = f"0000000{seed % 3 + 1}{seed * 7919 % 10**7:07d}"  # issued ORCIDs run from 0000-0001-... to 0000-0003-...
    total = 0
    for d in digits:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    s = digits + ("X" if check == 10 else str(check))
    return "https://orcid.org/" + "-".join(s[i : i + 4] for i in range(0, 16, 4))


# --- Building the catalogue -----------------------------------------------------------------------


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _title(rng: random.Random, topics: tuple[str, ...]) -> str:
    template = rng.choice(TEMPLATES)
    topic, topic2 = rng.sample(topics, 2)
    study = rng.choice(STUDY_TYPES)
    values = {
        "topic": topic,
        "topic2": topic2,
        "place": rng.choice(PLACES),
        "study": study,
        "method": rng.choice(METHODS),
        "condition": rng.choice(CONDITIONS),
        "outcome": rng.choice(OUTCOMES),
        "adjective": rng.choice(ADJECTIVES),
        "data": rng.choice(DATA),
        "event": rng.choice(EVENTS),
        "population": rng.choice(POPULATIONS),
    }
    values.update({k.capitalize(): _cap(v) for k, v in list(values.items())})
    return template.format(**values)


def _authors(rng: random.Random, count: int | None = None) -> tuple[tuple[str, str], ...]:
    n = count or rng.choices((1, 2, 3, 4, 5), weights=(15, 25, 30, 20, 10))[0]
    families = rng.sample(FAMILY, n)
    return tuple((rng.choice(GIVEN), f) for f in families)


def _distinct(title: str, seen: list[set[str]], limit: float = 0.5) -> bool:
    """No two catalogue titles share more than ``limit`` of their content words (search stays unambiguous)."""
    mine = content_words(title)
    return all(len(mine & other) / len(mine | other) <= limit for other in seen)


@cache
def catalogue() -> tuple[Work, ...]:
    """Every work of the catalogue, in DOI order (at least 220; the same on every run)."""
    rng = random.Random(SEED)
    works: list[Work] = []
    seen: list[set[str]] = []
    journal_issn = {j: _issn(1000 * i + 4242) for i, j in enumerate(JOURNALS)}
    journal_publisher = {j: PUBLISHERS[i % len(PUBLISHERS)] for i, j in enumerate(JOURNALS)}
    journal_founded = {j: 1960 + (i * 7) % 40 for i, j in enumerate(JOURNALS)}

    def add(**kw: Any) -> Work:
        index = len(works) + 1
        kw.setdefault("orcids", tuple(_orcid(index * 131 + k) if rng.random() < 0.3 else None for k in range(len(kw["authors"]))))
        work = Work(
            index=index,
            doi=f"{DOI_PREFIX}/cc.{index:04d}",
            openalex_id=f"W{4200000000 + index * 1361}",
            cited_by=rng.randint(0, 480),
            references_count=rng.randint(12, 90) if kw["type"] != "book" else 0,
            **kw,
        )
        works.append(work)
        seen.append(content_words(work.title))
        return work

    def article(title: str, journal: str, authors: tuple[tuple[str, str], ...], year: int, **kw: Any) -> Work:
        first = rng.randint(1, 1900)
        kw.setdefault("volume", str(year - journal_founded[journal]))
        kw.setdefault("issue", str(rng.randint(1, 12)))
        return add(
            type="journal-article",
            title=title,
            authors=authors,
            year=year,
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            online_month=None,
            container=journal,
            publisher=journal_publisher.get(journal, PUBLISHERS[0]),
            first_page=kw.pop("first_page", str(first)),
            last_page=kw.pop("last_page", str(first + rng.randint(7, 30))),
            issn=(journal_issn.get(journal, _issn(len(journal) * 97)),),
            **kw,
        )

    # Journal articles: the bulk of any reference list.
    while len(works) < 196:
        title = _title(rng, TOPICS)
        if not _distinct(title, seen):
            continue
        year = rng.randint(1995, 2024)
        journal = rng.choice(JOURNALS)
        work = article(title, journal, _authors(rng), year)
        if rng.random() < 0.5 and work.month > 2:  # many articles appear online a month or two before the print issue
            works[-1] = replace(work, online_month=work.month - rng.randint(1, 2))

    # Books, each reviewed one preceded by its review. The review carries the book's title, and
    # its subtitle names the book's authors, publisher and year (as many review records do), so a
    # search for the book matches the review at least as well; ties go to the lower DOI, the
    # review's. A client has to look at the type to tell them apart.
    reviewed = {0, 2, 5, 7}
    for b, title in enumerate(BOOK_TITLES):
        authors = _authors(rng, rng.choice((1, 1, 2)))
        year = rng.randint(2001, 2022)
        publisher = PUBLISHERS[(b * 5) % len(PUBLISHERS)]
        if b in reviewed:
            book_doi = f"{DOI_PREFIX}/cc.{len(works) + 2:04d}"
            byline = " and ".join(f"{g} {f}" for g, f in authors)
            journal = rng.choice(JOURNALS)
            review_year = year + (b % 2)  # some reviews appear in the book's year, some a year later
            add(
                type="journal-article",
                title=f"Review of: {title}",
                subtitle=f"by {byline}; {publisher}, {year}",
                authors=_authors(rng, 1),
                year=review_year,
                month=rng.randint(1, 12),
                day=rng.randint(1, 28),
                container=journal,
                publisher=journal_publisher[journal],
                volume=str(review_year - journal_founded[journal]),
                issue=str(rng.randint(1, 4)),
                first_page=str(p := rng.randint(100, 900)),
                last_page=str(p + rng.randint(1, 3)),
                issn=(journal_issn[journal],),
                reviews_doi=book_doi,
                tags=frozenset({"book-review"}),
            )
        add(
            type="book",
            title=title,
            authors=authors,
            year=year,
            month=rng.randint(1, 12),
            day=rng.randint(1, 28),
            publisher=publisher,
            isbn=(_isbn13(b * 7919 + 101),),
            tags=frozenset({"reviewed-book"} if b in reviewed else ()),
        )

    # Chapters of two edited volumes: the container is the book, and there are editors.
    for c, title in enumerate(CHAPTER_TITLES):
        book, year = EDITED_BOOKS[c // 5]
        editors = _authors(rng, 2) if c % 5 == 0 else works[-1].editors
        first = 1 + (c % 5) * 24
        add(
            type="book-chapter",
            title=title,
            authors=_authors(rng, rng.choice((1, 2, 3))),
            year=year,
            month=6,
            day=1 + c,
            container=book,
            publisher=PUBLISHERS[2 + c // 5],
            first_page=str(first),
            last_page=str(first + 21),
            isbn=(_isbn13(c // 5 * 104729 + 7),),
            editors=editors,
        )

    # Articles not in English.
    for language, title, journal in FOREIGN:
        journal_founded.setdefault(journal, 1975)
        article(title, journal, _authors(rng), rng.randint(2003, 2023), language=language)

    # Give some of the plain articles the properties the client must cope with. The sets are
    # disjoint, so each special work tests one thing.
    plain = [w.index for w in works if w.type == "journal-article" and w.language == "en" and not w.reviews_doi]
    chosen = iter(rng.sample(plain, 29))
    take = {name: [next(chosen) for _ in range(n)] for name, n in (
        ("retracted", 6), ("eoc", 2), ("corrected", 2), ("online-year", 6), ("merged", 3), ("sici", 2),
        ("article-number", 3), ("not-in-openalex", 2), ("not-in-crossref", 1), ("particle-author", 2),
    )}  # fmt: skip

    def change(index: int, tag: str, **kw: Any) -> Work:
        old = works[index - 1]
        works[index - 1] = replace(old, tags=old.tags | {tag}, **kw)
        return works[index - 1]

    def later(w: Work, years: int) -> tuple[int, int, int]:
        return (min(w.year + years, 2025), rng.randint(1, 12), rng.randint(1, 28))

    r = take["retracted"]
    w = works[r[0] - 1]  # Retraction Watch knows of a correction and, later, a retraction
    change(r[0], "retracted", updated_by=(
        Update("correction", f"{DOI_PREFIX}/cc.corr.{w.index:04d}", "retraction-watch", later(w, 1), str(30000 + w.index)),
        Update("retraction", f"{DOI_PREFIX}/cc.rn.{w.index:04d}", "retraction-watch", later(w, 3), str(40000 + w.index)),
    ))  # fmt: skip
    w = works[r[1] - 1]  # re-titled "RETRACTED: ..." by its publisher, flagged by Retraction Watch
    change(r[1], "retracted", title=RETRACTED_PREFIX + w.title, updated_by=(
        Update("retraction", f"{DOI_PREFIX}/cc.rn.{w.index:04d}", "retraction-watch", later(w, 2), str(40000 + w.index)),
    ))  # fmt: skip
    # r[2] is retracted by its publisher with a notice that is itself in the catalogue (added below).
    for i in r[3:5]:
        w = works[i - 1]
        change(i, "retracted", updated_by=(Update("retraction", f"{DOI_PREFIX}/cc.rn.{i:04d}", "publisher", later(w, 2)),))
    w = works[r[5] - 1]  # the same notice reported by the publisher and by Retraction Watch
    when = later(w, 4)
    change(r[5], "retracted", updated_by=(
        Update("retraction", f"{DOI_PREFIX}/cc.rn.{w.index:04d}", "publisher", when),
        Update("retraction", f"{DOI_PREFIX}/cc.rn.{w.index:04d}", "retraction-watch", when, str(40000 + w.index)),
    ))  # fmt: skip
    for i, source in zip(take["eoc"], ("publisher", "retraction-watch"), strict=True):
        w = works[i - 1]
        rid = str(50000 + i) if source == "retraction-watch" else None
        change(i, "eoc", updated_by=(Update("expression_of_concern", f"{DOI_PREFIX}/cc.eoc.{i:04d}", source, later(w, 1), rid),))
    for i, source in zip(take["corrected"], ("publisher", "retraction-watch"), strict=True):
        w = works[i - 1]
        rid = str(60000 + i) if source == "retraction-watch" else None
        change(i, "corrected", updated_by=(Update("correction", f"{DOI_PREFIX}/cc.corr.{i:04d}", source, later(w, 1), rid),))
    for i in take["online-year"]:
        change(i, "online-year", online_year=works[i - 1].year - 1, online_month=None)
    for i in take["merged"]:
        change(i, "merged", merged_ids=(f"W{2100000000 + i * 977}",))
    for i in take["sici"]:
        w = works[i - 1]
        issn = w.issn[0]
        doi = f"{DOI_PREFIX}/(sici){issn}({w.year}){w.volume}:{w.issue}<{w.first_page}::aid-cc{i}>3.0.co;2-{'xq'[i % 2]}"
        change(i, "sici", doi=doi.lower())  # Crossref shows DOIs in lower case
    for i in take["article-number"]:
        number = f"e{rng.randint(10000, 99999)}"
        change(i, "article-number", article_number=number, first_page=number, last_page=None)
    for i in take["not-in-openalex"]:
        change(i, "not-in-openalex", in_openalex=False)
    for i in take["not-in-crossref"]:  # a DOI registered elsewhere (DataCite, say): only OpenAlex knows it
        change(i, "not-in-crossref", in_crossref=False, doi=f"10.5281/zenodo.{5550000 + i}")
    for i, family in zip(take["particle-author"], ("van der Berg", "de la Cruz"), strict=True):
        w = works[i - 1]
        change(i, "particle-author", authors=((w.authors[0][0], family), *w.authors[1:]))

    # The retraction notice of r[2]: it carries update-to and is NOT itself retracted.
    target = works[r[2] - 1]
    when = later(target, 2)
    notice_index = len(works) + 1
    notice_doi = f"{DOI_PREFIX}/cc.{notice_index:04d}"
    change(r[2], "retracted", updated_by=(Update("retraction", notice_doi, "publisher", when),))
    journal = target.container or JOURNALS[0]
    add(
        type="journal-article",
        title=f"Retraction notice to “{target.plain_title}”",
        authors=(),
        year=when[0],
        month=when[1],
        day=when[2],
        container=journal,
        publisher=target.publisher,
        volume=str(when[0] - journal_founded[journal]),
        issue=str(when[1]),
        first_page=str(p := rng.randint(1, 900)),
        last_page=str(p),
        issn=target.issn,
        update_to=(Update("retraction", target.doi, "publisher", when),),
        tags=frozenset({"retraction-notice"}),
    )
    return tuple(works)


@cache
def by_doi() -> dict[str, Work]:
    """The catalogue keyed by lower-case DOI (DOIs are case-insensitive)."""
    return {w.doi.lower(): w for w in catalogue()}


def tagged(tag: str) -> list[Work]:
    """The works carrying a tag: retracted, eoc, corrected, online-year, merged, sici, article-number,
    not-in-openalex, not-in-crossref, particle-author, book-review, reviewed-book, retraction-notice."""
    return [w for w in catalogue() if tag in w.tags]


def review_of(book: Work) -> Work | None:
    """The catalogue's review of a book, if it has one."""
    return next((w for w in catalogue() if w.reviews_doi == book.doi), None)


# --- Rendering: Crossref ------------------------------------------------------------------------


def _date(y: int, m: int, d: int) -> dict[str, Any]:
    """A Crossref Date: date-parts plus date-time and timestamp (milliseconds since the epoch)."""
    moment = datetime(y, m, d, tzinfo=UTC)
    return {
        "date-parts": [[y, m, d]],
        "date-time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timestamp": int(moment.timestamp() * 1000),
    }


def _partial(y: int, m: int | None = None, d: int | None = None) -> dict[str, Any]:
    """A Crossref Partial Date: only the year is required."""
    return {"date-parts": [[x for x in (y, m, d) if x is not None]]}


def _update(u: Update, doi_key: str = "DOI") -> dict[str, Any]:
    out: dict[str, Any] = {"updated": _date(*u.date), doi_key: u.doi, "type": u.type, "source": u.source, "label": u.label}
    if u.record_id is not None:
        out["record-id"] = u.record_id
    return out


def _contributors(people: tuple[tuple[str, str], ...], orcids: tuple[str | None, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for n, (given, family) in enumerate(people):
        person: dict[str, Any] = {
            "given": given,
            "family": family,
            "sequence": "first" if n == 0 else "additional",
            "affiliation": [],
        }
        if n < len(orcids) and orcids[n]:
            person["ORCID"] = orcids[n]
            person["authenticated-orcid"] = False
        out.append(person)
    return out


def crossref_message(work: Work) -> dict[str, Any]:
    """The ``message`` of Crossref's ``/works/{doi}`` answer for a work (keys without a value are left out, as Crossref does)."""
    created = (work.issued[0], work.issued[1], 1)
    print_date = (work.year, work.month, work.day)
    msg: dict[str, Any] = {
        "indexed": _date(*INDEXED),
        "reference-count": work.references_count,
        "publisher": work.publisher,
        "issue": work.issue,
        "content-domain": {"domain": [], "crossmark-restriction": False},
        "short-container-title": [],
        "published-print": _partial(*print_date),
        "DOI": work.doi,
        "type": work.type,
        "created": _date(*created),
        "page": work.pages,
        "update-policy": f"https://doi.org/{DOI_PREFIX}/crossmark-policy" if work.updated_by or work.update_to else None,
        "source": "Crossref",
        "is-referenced-by-count": work.cited_by,
        "title": [work.title],
        "prefix": work.doi.split("/", 1)[0],
        "volume": work.volume,
        "author": _contributors(work.authors, work.orcids) if work.authors else None,
        "editor": _contributors(work.editors) if work.editors else None,
        "member": "99999",
        "container-title": [work.container] if work.container else [],
        "original-title": [],
        "language": work.language,
        "link": [],
        "deposited": _date(*created),
        "score": 1,
        "resource": {"primary": {"URL": f"https://publisher.example/doi/{work.doi}"}},
        "subtitle": [work.subtitle] if work.subtitle else [],
        "short-title": [],
        "issued": _partial(*work.issued),
        "references-count": work.references_count,
        "alternative-id": [],
        "URL": f"https://doi.org/{work.doi}",
        "relation": {"is-review-of": [{"id-type": "doi", "id": work.reviews_doi, "asserted-by": "subject"}]}
        if work.reviews_doi
        else {},
        "ISSN": list(work.issn) or None,
        "issn-type": [{"type": "print", "value": i} for i in work.issn] or None,
        "ISBN": list(work.isbn) or None,
        "isbn-type": [{"type": "print", "value": i} for i in work.isbn] or None,
        "article-number": work.article_number,
        "published": _partial(*work.issued),
        "updated-by": [_update(u) for u in work.updated_by] or None,
        "update-to": [_update(u) for u in work.update_to] or None,
    }
    if work.online_year is not None or work.online_month is not None:
        msg["published-online"] = _partial(*work.issued)
    if work.type == "journal-article" and work.issue:
        msg["journal-issue"] = {"issue": work.issue, "published-print": _partial(work.year, work.month)}
    return {k: v for k, v in msg.items() if v is not None}


# --- Rendering: OpenAlex ------------------------------------------------------------------------

# OpenAlex's own work types differ from Crossref's: a journal article is an "article", a notice a
# "retraction"; ``type_crossref`` keeps Crossref's word.
_OPENALEX_TYPE = {"journal-article": "article", "book": "book", "book-chapter": "book-chapter"}


def openalex_type(work: Work) -> str:
    if "retraction-notice" in work.tags:
        return "retraction"
    if work.reviews_doi:
        return "review"
    return _OPENALEX_TYPE[work.type]


def _source(work: Work) -> dict[str, Any] | None:
    if work.container is None:
        return None  # OpenAlex gives many books no source at all
    issn = list(work.issn)
    return {
        "id": f"https://openalex.org/S{3000000000 + sum(map(ord, work.container)) * 101}",
        "display_name": work.container,
        "issn_l": issn[0] if issn else None,
        "issn": issn or None,
        "is_oa": False,
        "is_in_doaj": False,
        "is_core": True,
        "host_organization": f"https://openalex.org/P{4310000000 + sum(map(ord, work.publisher))}",
        "host_organization_name": work.publisher,
        "host_organization_lineage": [f"https://openalex.org/P{4310000000 + sum(map(ord, work.publisher))}"],
        "type": "journal" if work.type == "journal-article" else "book series",
    }


def openalex_work(work: Work) -> dict[str, Any]:
    """OpenAlex's Work object for a work (as ``/works/{id}`` returns it and as each search result)."""
    y, m, d = work.issued
    doi_url = f"https://doi.org/{work.doi}"
    location = {
        "is_oa": False,
        "landing_page_url": doi_url,
        "pdf_url": None,
        "source": _source(work),
        "license": None,
        "license_id": None,
        "version": "publishedVersion",
        "is_accepted": True,
        "is_published": True,
    }
    authorships: list[dict[str, Any]] = []
    for n, (given, family) in enumerate(work.authors):
        orcid = work.orcids[n] if n < len(work.orcids) else None
        author = {
            "id": f"https://openalex.org/A{5000000000 + work.index * 10 + n}",
            "display_name": f"{given} {family}",
            "orcid": orcid,
        }
        position = "first" if n == 0 else ("last" if n == len(work.authors) - 1 else "middle")
        authorships.append(
            {
                "author_position": position,
                "author": author,
                "institutions": [],
                "countries": [],
                "is_corresponding": n == 0,
                "raw_author_name": f"{given} {family}",
                "raw_affiliation_strings": [],
                "affiliations": [],
            }
        )
    return {
        "id": f"https://openalex.org/{work.openalex_id}",
        "doi": doi_url,
        "title": work.title,
        "display_name": work.title,
        "publication_year": y,
        "publication_date": f"{y:04d}-{m:02d}-{d:02d}",
        "ids": {"openalex": f"https://openalex.org/{work.openalex_id}", "doi": doi_url},
        "language": work.language,
        "primary_location": location,
        "type": openalex_type(work),
        "type_crossref": work.type,
        "indexed_in": ["crossref"] if work.in_crossref else ["datacite"],
        "open_access": {"is_oa": False, "oa_status": "closed", "oa_url": None, "any_repository_has_fulltext": False},
        "authorships": authorships,
        "corresponding_author_ids": [f"https://openalex.org/A{5000000000 + work.index * 10}"] if work.authors else [],
        "cited_by_count": work.cited_by,
        "biblio": {"volume": work.volume, "issue": work.issue, "first_page": work.first_page, "last_page": work.last_page},
        "is_retracted": work.is_retracted,
        "is_paratext": False,
        "locations_count": 1,
        "locations": [location],
        "referenced_works_count": work.references_count,
        "counts_by_year": [],
        "updated_date": "2025-01-15T04:12:09.000000",
        "created_date": f"{max(y, 2016):04d}-06-01",
    }


# --- The acceptance bibliography ------------------------------------------------------------------


@dataclass
class Scenario:
    """The 100-reference acceptance scenario: what to verify, what each verdict should be, what stalls."""

    references: list[dict[str, Any]]
    expected: dict[str, str]  # reference key -> verdict
    categories: dict[str, str]  # reference key -> why it is in the list (finer than the verdict)
    works: dict[str, str | None]  # reference key -> DOI of the catalogue work it cites (None: fabricated)
    timeout_keys: set[str]  # reference keys whose look-ups the registry makes time out
    registry_timeouts: set[str]  # what to pass as FakeRegistry(timeouts=...): DOIs and titles


def _initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in re.split(r"[\s]+", given) if part).replace(". -", ".-")


def _title_case(title: str) -> str:
    small = {"a", "an", "and", "in", "of", "on", "the", "to", "with", "under", "after", "among", "across", "from", "for"}
    out = [w if (n and w.lower() in small) else _cap(w) for n, w in enumerate(title.split(" "))]
    return " ".join(out)


def _reference(work: Work, *, with_doi: bool, rng: random.Random, vary: bool = True) -> dict[str, Any]:
    """A reference to a work exactly as registered, with the small variations real lists have."""
    authors = [{"family": f, "given": g} for g, f in work.authors]
    title = work.plain_title
    issue = work.issue
    if vary:
        if rng.random() < 0.33:  # initials instead of given names
            authors = [{"family": a["family"], "given": _initials(a["given"])} for a in authors]
        if rng.random() < 0.2 and work.language == "en":  # a style that capitalises titles
            title = _title_case(title)
        if rng.random() < 0.15:  # the issue left out
            issue = None
    return {
        "key": "",
        "authors": authors,
        "year": work.year,
        "title": title,
        "container": work.container,
        "publisher": work.publisher if work.type != "journal-article" else None,
        "volume": work.volume,
        "issue": issue,
        "first_page": work.first_page,
        "last_page": work.last_page,
        "doi": work.doi if with_doi else None,
        "kind": work.kind,
    }


def _fabricated(rng: random.Random, n: int, doi: str | None) -> dict[str, Any]:
    topic = FAKE_TOPICS[n]
    title = rng.choice(FAKE_FRAMES).format(Topic=_cap(topic), topic=topic, adjective=rng.choice(FAKE_ADJECTIVES))
    count = rng.choice((1, 2, 3))
    families = rng.sample(FAKE_FAMILY, count)
    year = rng.randint(2004, 2023)
    first = rng.randint(10, 800)
    return {
        "key": "",
        "authors": [{"family": f, "given": rng.choice(FAKE_GIVEN)} for f in families],
        "year": year,
        "title": title,
        "container": rng.choice(JOURNALS),
        "publisher": None,
        "volume": str(rng.randint(5, 60)),
        "issue": str(rng.randint(1, 6)),
        "first_page": str(first),
        "last_page": str(first + rng.randint(8, 25)),
        "doi": doi,
        "kind": "article",
    }


def bibliography_100() -> Scenario:
    """The acceptance scenario: 100 references, their expected verdicts and the look-ups that stall.

    72 genuine works (half cited with a DOI, half without, so that they must be searched for;
    four books whose reviews are also in the catalogue, two chapters, the retraction notice of
    a retracted work, works with online-first years, a SICI DOI, an article number, a DOI in upper
    case, author names with and without accents); 10 fabricated (six without a DOI, four with a
    DOI that resolves nowhere); 10 real works miscited (year off by 2 or more, pages or volume
    wrong); 3 retracted works; 5 real works whose look-ups the registry makes time out.
    ``works`` is the answer key: the catalogue DOI each reference cites. Every call returns fresh objects.
    """
    rng = random.Random(SEED + 1)
    works = catalogue()
    used: set[int] = set()

    def pick(pool: list[Work], n: int) -> list[Work]:
        free = [w for w in pool if w.index not in used]
        got = rng.sample(free, n)
        used.update(w.index for w in got)
        return got

    def plain(w: Work) -> bool:
        return w.type == "journal-article" and not w.tags and w.language == "en" and w.in_crossref and w.in_openalex

    plain_pool = [w for w in works if plain(w)]
    entries: list[tuple[dict[str, Any], str, str]] = []  # (reference, verdict, category)
    cited: dict[int, str] = {}  # id(reference) -> DOI of the work it cites

    def genuine(w: Work, with_doi: bool, category: str, **change: Any) -> None:
        used.add(w.index)
        ref = _reference(w, with_doi=with_doi, rng=rng)
        ref.update(change)
        entries.append((ref, "ok", category))
        cited[id(ref)] = w.doi

    # Genuine, cited with a DOI (36).
    # Expressions of concern and corrections stay out: the client reports them with findings of
    # their own, outside this scenario's verdicts. Tests can take them from tagged("eoc") etc.
    genuine(tagged("online-year")[0], True, "genuine-doi-online-first")
    genuine(tagged("sici")[0], True, "genuine-doi-sici")
    genuine(tagged("article-number")[0], True, "genuine-doi-article-number")
    genuine(tagged("merged")[0], True, "genuine-doi-merged-in-openalex")
    genuine(tagged("particle-author")[0], True, "genuine-doi-particle-surname")
    genuine(tagged("retraction-notice")[0], True, "genuine-doi-retraction-notice")
    upper = pick(plain_pool, 1)[0]
    genuine(upper, True, "genuine-doi-upper-case", doi=upper.doi.upper())
    books = tagged("reviewed-book")
    genuine(books[0], True, "genuine-doi-book")
    chapters = [w for w in works if w.type == "book-chapter"]
    genuine(chapters[0], True, "genuine-doi-chapter")
    for w in pick(plain_pool, 27):
        genuine(w, True, "genuine-doi")

    # Genuine, cited without a DOI (36).
    ol = tagged("online-year")
    genuine(ol[1], False, "genuine-search-online-first")
    genuine(ol[2], False, "genuine-search-online-year-cited", year=ol[2].online_year)
    genuine(tagged("particle-author")[1], False, "genuine-search-particle-surname")
    for w in [w for w in works if w.language != "en"][::3][:2]:  # one German, one French
        genuine(w, False, "genuine-search-not-english")
    accented = [w for w in plain_pool if w.index not in used and fold(w.authors[0][1]) != w.authors[0][1].lower()]
    folded = accented[0]
    used.add(folded.index)
    ref = _reference(folded, with_doi=False, rng=rng, vary=False)
    ref["authors"][0]["family"] = fold(ref["authors"][0]["family"]).title()  # "Muller" for "Müller"
    entries.append((ref, "ok", "genuine-search-accents-dropped"))
    cited[id(ref)] = folded.doi
    for book in books[1:]:
        genuine(book, False, "genuine-search-book-with-review")
    genuine(chapters[6], False, "genuine-search-chapter")
    for w in pick(plain_pool, 26):
        genuine(w, False, "genuine-search")

    # Real works miscited (10): the title and authors are right, one field is not.
    for n, w in enumerate(pick(plain_pool, 10)):
        ref = _reference(w, with_doi=n % 2 == 0, rng=rng, vary=False)
        if n < 4:
            ref["year"] = w.year + rng.choice((-3, -2, 2, 3))
            category = "miscited-year"
        elif n < 7:
            shift = rng.randint(30, 200)
            ref["first_page"] = str(int(w.first_page or "1") + shift)
            ref["last_page"] = str(int(w.last_page or "1") + shift)
            category = "miscited-pages"
        else:
            ref["volume"] = str(int(w.volume or "1") + rng.randint(2, 9))
            category = "miscited-volume"
        entries.append((ref, "metadata-mismatch", category))
        cited[id(ref)] = w.doi

    # Retracted works (3): two cited with a DOI (one re-titled "RETRACTED: "), one to be searched.
    retracted = tagged("retracted")
    rw_both = next(w for w in retracted if any(u.type == "correction" for u in w.updated_by))
    rw_retitled = next(w for w in retracted if w.title.startswith(RETRACTED_PREFIX))
    with_notice = next(w for w in retracted if any(u.doi.lower() in by_doi() for u in w.updated_by))
    for w, with_doi, category in (
        (rw_both, True, "retracted-doi-retraction-watch"),
        (rw_retitled, True, "retracted-doi-retitled"),
        (with_notice, False, "retracted-search-publisher-notice"),
    ):
        used.add(w.index)
        ref = _reference(w, with_doi=with_doi, rng=rng)
        entries.append((ref, "retracted-work", category))
        cited[id(ref)] = w.doi

    # Real works whose look-ups stall (5).
    registry_timeouts: set[str] = set()
    for n, w in enumerate(pick(plain_pool, 5)):
        ref = _reference(w, with_doi=n < 3, rng=rng)
        entries.append((ref, "unverified", "timeout-doi" if n < 3 else "timeout-search"))
        cited[id(ref)] = w.doi
        registry_timeouts.update({w.doi, w.title})

    # Fabricated (10): plausible, and nowhere in the catalogue.
    for n in range(10):
        doi = None
        if n >= 6:
            doi = (
                f"{DOI_PREFIX}/cc.{9100 + n * 37}",
                f"{DOI_PREFIX}/cc.{9950 + n}",
                f"{DOI_PREFIX}/zx.2017.{n}55",
                "10.4321/jfr.2019.0417",
            )[n - 6]
        entries.append(
            (
                _fabricated(rng, n, doi),
                "doi-not-found" if doi else "reference-not-found",
                "fabricated-doi" if doi else "fabricated",
            )
        )

    rng.shuffle(entries)
    keys: Counter[str] = Counter()
    scenario = Scenario(
        references=[], expected={}, categories={}, works={}, timeout_keys=set(), registry_timeouts=registry_timeouts
    )
    for ref, verdict, category in entries:
        stem = re.sub(r"[^a-z]", "", fold(ref["authors"][0]["family"])) if ref["authors"] else "anon"
        base = f"{stem}{ref['year']}"
        keys[base] += 1
        ref["key"] = base if keys[base] == 1 else f"{base}{'abcdefgh'[keys[base] - 1]}"
        scenario.references.append(ref)
        scenario.expected[ref["key"]] = verdict
        scenario.categories[ref["key"]] = category
        scenario.works[ref["key"]] = cited.get(id(ref))
        if verdict == "unverified":
            scenario.timeout_keys.add(ref["key"])
    return scenario


# --- Files for other tests ------------------------------------------------------------------------

_CSL_TYPE = {"article": "article-journal", "book": "book", "chapter": "chapter"}


def csl_item(ref: dict[str, Any]) -> dict[str, Any]:
    """A reference as a CSL-JSON item (the form reference managers export)."""
    item: dict[str, Any] = {
        "id": ref["key"],
        "type": _CSL_TYPE[ref["kind"]],
        "author": [{"family": a["family"], "given": a["given"]} for a in ref["authors"]],
        "issued": {"date-parts": [[ref["year"]]]},
        "title": ref["title"],
    }
    optional = {
        "container-title": ref["container"],
        "publisher": ref["publisher"],
        "volume": ref["volume"],
        "issue": ref["issue"],
        "page": "-".join(p for p in (ref["first_page"], ref["last_page"]) if p) or None,
        "DOI": ref["doi"],
    }
    item.update({k: v for k, v in optional.items() if v})
    return item


def bibliography_files() -> dict[str, str]:
    """The text of the two bibliography files in ``tests/data/registry/`` (name -> JSON)."""
    s = bibliography_100()
    expected = {
        "expected": s.expected,
        "categories": s.categories,
        "works": s.works,
        "timeout_keys": sorted(s.timeout_keys),
        "registry_timeouts": sorted(s.registry_timeouts),
    }
    return {
        "bibliography-100.json": json.dumps([csl_item(r) for r in s.references], ensure_ascii=False, indent=2) + "\n",
        "bibliography-100-expected.json": json.dumps(expected, ensure_ascii=False, indent=2) + "\n",
    }


if __name__ == "__main__":
    for name, text in bibliography_files().items():
        (DATA_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {DATA_DIR / name}", file=sys.stderr)
