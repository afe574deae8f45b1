"""Parsing the entries of a reference list: authors, year, title, container, volume, pages, links.

Input: an entry's text and span, as ``segment`` cut it (``parse_entry``), or the cleaned text and
every entry span (``parse_entries``, which also reads Chicago's "———." for the authors of the
entry before). Output: one ``Reference`` per entry; one with no year keeps its text and what of
its authors can be told, with empty fields otherwise.
"""

from __future__ import annotations

import dataclasses
import re

from citecheck.cache import regex
from citecheck.model import Author, Pages, Reference, Span, page_number
from citecheck.names import LOWER
from citecheck.references.authors import _initials, _natural, parse_authors
from citecheck.references.patterns import (
    _DASHES,
    _EMPHASIS,
    _NUMBER_IN_HEAD,
    _U,
    _WORD,
    AUTHORS_COLON,
    BARE_VOLUME_PAGES,
    BOOK_PAGES,
    CHICAGO_VOLUME_PAGES,
    DOI,
    DOI_STEM,
    LABELLED_VOLUME_PAGES,
    LINK_BREAK,
    LINK_REST,
    LINK_WORD_START,
    MARKER,
    ORG_HINT,
    PUBLISHER,
    QUOTED_TITLE,
    REF_YEAR_APA,
    REF_YEAR_BARE,
    URL,
    VOLUME_PAGES,
    YEAR_AT_END,
)


def parse_entries(clean: str, spans: list[Span], as_written: bool = False) -> list[Reference]:
    """Parse each entry span of ``clean``, the text with running headers blanked. With
    ``as_written``, a reference's text is its entry as written (``entry_text``), bullet or number
    and all, as a report shows it; else the text ``parse_entry`` read."""
    out: list[Reference] = []
    texts = [entry_text(clean[span.start : span.end]) for span in spans]
    # A list whose entries mostly close their authors with a colon (Copernicus, DIN) does so for
    # every entry, an organisation's too: "Executable Books Community: Jupyter book, 2020."
    colons = sum(1 for t in texts if _colon_entry(t) is not None) * 2 >= len(texts) > 0
    for span, text in zip(spans, texts, strict=True):
        # Chicago and AAA leave a repeated author list out: "———. 2010. Title." or, AAA, the
        # year alone: "2019b Title.", or all but the "et al.": ", et al. 2018a Title." The entry
        # is the previous one's authors'.
        repeated = SAME_AUTHORS.match(text)
        if repeated is not None and out and out[-1].authors:
            partial = SAME_FIRST_AUTHORS.match(text)
            if partial is not None:
                ref = _with_first_authors(text, span, partial, out[-1], colons)
            else:
                rest = re.sub(r"^((?:1[5-9]|20)\d\d[a-z]?)(?=[A-Z])", r"\1 ", text[repeated.end() :])  # "2018bDistinct"
                ref = parse_entry("Anon. " + rest, span)
                ref = dataclasses.replace(ref, text=text, authors=out[-1].authors, etal=out[-1].etal)
        else:
            ref = parse_entry(text, span, colons, text if as_written else None)
        out.append(ref)
    return out


SAME_AUTHORS = regex(
    rf"^(?:{_DASHES}[ \t]*[.,]?[ \t]*|(?:{_DASHES}[ \t]*,?|[ \t]*,)[ \t]*et[ \t]+al\.[ \t]*"
    rf"|(?=(?:1[5-9]|20)\d\d[a-z]?(?:[ \t.]|[A-Z])))"
)


# MHRA and Chicago put a dash for each name the entry shares with the one before when other names
# follow: "——, and M. B. Feller. 2010." is the previous entry's first author and M. B. Feller;
# "——, ——, and K. Lee" its first two and K. Lee. The names after the dashes: "and" or "&", an
# initial ("M. B. Feller"), or a surname and its initials ("Feller, M. B.").
SAME_FIRST_AUTHORS = regex(rf"^((?:{_DASHES}[ \t]*,[ \t]*)+)(?=(?:and|&)\s|[A-Z]\.|[A-Z][\w'’-]+,[ \t]+[A-Z]\.)")
_STAND_IN = "Anon, A., "  # a name in the dash's place, that the entry parser reads as one author


def _with_first_authors(text: str, span: Span, dashes: re.Match[str], before: Reference, colons: bool) -> Reference:
    """An entry whose dashes stand for the first authors of the entry ``before``, its own names
    after them; with fewer names read than that, all of the previous entry's."""
    shared = dashes.group(1).count(",")
    ref = parse_entry(_STAND_IN * shared + text[dashes.end() :], span, colons)
    if len(ref.authors) <= shared or len(before.authors) < shared or any(a.family != "Anon" for a in ref.authors[:shared]):
        authors, etal = before.authors, before.etal
    else:
        authors, etal = before.authors[:shared] + ref.authors[shared:], ref.etal
    return dataclasses.replace(ref, text=text, authors=authors, etal=etal)


def entry_text(raw: str) -> str:
    """An entry's lines joined by single spaces, except where a line break cut a link or a DOI:
    "https://doi.org/10.1007/s11121-" and "011-0217-6" on the next line are one DOI."""
    if "\n" not in raw or ("/" not in raw and "doi" not in raw.lower()):
        return " ".join(raw.split())  # no line break, or no link a line break could have cut
    # Only a word that reads as a link (LINK_WORD) takes the words after it in: the words between
    # such words are joined as they stand, without a look at each.
    out: list[str] = []
    pos = 0
    while (link := LINK_WORD_START.search(raw, pos)) is not None:
        out.extend(raw[pos : link.start()].split())
        pos = _read_link(raw, link.start(), out)
    out.extend(raw[pos:].split())
    return " ".join(out)


# What of a link ``_continues_link`` reads: its last character, and a DOI prefix ending it, which
# is 14 characters at most ("/10.123456789/"). A link longer than this tail cannot be a DOI prefix
# from its very start either, since that would take 12 digits.
_LINK_TAIL = 16


def _read_link(raw: str, start: int, out: list[str]) -> int:
    """Append to ``out`` the link whose first word starts at ``start``, with the words after it
    that a line break cut from it; return where the link ends. A link grown by a word stays one,
    so only the next word is asked about."""
    first = _WORD.match(raw, start)
    assert first is not None
    pieces = [first.group()]
    tail = pieces[0][-_LINK_TAIL:]
    pos = first.end()
    while (word := _WORD.search(raw, pos)) is not None:
        if "\n" not in raw[pos : word.start()] or not _continues_link(tail, word.group()):
            break
        pieces.append(word.group())
        tail = (tail + word.group())[-_LINK_TAIL:]
        pos = word.end()
    out.append("".join(pieces))
    return pos


def _continues_link(link: str, word: str) -> bool:
    """Whether ``word``, on the line after ``link`` (or the last ``_LINK_TAIL`` characters of it), goes on with it."""
    if DOI_STEM.search(link):
        return True
    if not LINK_REST.fullmatch(word):
        return False  # "(accessed 3 May 2021)", "Retrieved from": words, not the rest of a link
    return LINK_BREAK.search(link) is not None or any(c in word for c in "/-_.=?&%")


def parse_entry(entry: str, span: Span, colons: bool = False, text: str | None = None) -> Reference:
    """Parse one entry of an APA, Harvard or Chicago author-date list. ``text``: the reference's
    text, if not the entry as read (without its bullet or number)."""
    marker = MARKER.match(entry)
    entry = (entry[marker.end() :] if marker else entry).strip()
    text = entry if text is None else text
    # Each search below is skipped where the entry lacks what it looks for: "*" or "_", "10.", "http".
    plain = _EMPHASIS.sub("", entry) if "*" in entry or "_" in entry else entry
    doi_at = plain.find("10.")  # a DOI starts at a "10.": searching from the first finds the same one
    doi_m = DOI.search(plain, doi_at) if doi_at >= 0 else None
    doi = doi_m.group(1).rstrip(".,;)") if doi_m else None
    url_m = URL.search(plain) if "http" in plain else None
    url = url_m.group(0).rstrip(".,;)") if url_m else None
    scan = URL.sub(" ", plain) if url_m else plain  # years and pages inside URLs and DOIs are not the entry's

    colon = _colon_entry(scan, colons)
    if colon is not None:
        author_part, year, suffix, rest = colon
        authors, etal = parse_authors(author_part)
        title, after_title = _colon_title(rest)
    else:
        ym = _entry_year(scan)
        if ym is None:
            return _undated_entry(text, scan, span, doi, url)
        year, suffix = _year_of(ym)
        start, end = ym.start(), ym.end()
        # Chicago gives a reprint its original year first: "Darwin, Charles. (1859) 2009." or
        # "[1859] 2009." The work is cited by the year of the edition read: "([1859] 2009, 42)".
        original = ORIGINAL_THEN.match(scan, start) or ORIGINAL_THEN.match(scan, max(0, start - 1))
        if original is not None:
            year, suffix = original.group(2), original.group(3) or ""
            start, end = original.start(), original.end()
        author_part = scan[:start].strip(" .,([")
        rest = scan[end:].lstrip(" .,)")
        if "“" in author_part or '"' in author_part:
            # The year after a quoted title, in its container's place (Journal of Accounting
            # Research): "MOSS, M., and I. JAFFE. “Title.” Cell 203 (2019): 107–9." The authors end
            # where the title opens; the rest reads on without the year.
            quoted = UNDATED_AUTHORS.match(scan)
            if quoted is not None and quoted.group("quoted") and quoted.end() <= start:
                author_part = quoted.group("quoted")
                rest = scan[quoted.end() - 1 : start].rstrip(" ([") + " " + rest.lstrip("]")
        elif ". " in author_part and (head := VANCOUVER_HEAD.match(author_part)) is not None:
            # Vancouver names, then the title and the journal, then the year (Journal of Hand
            # Surgery): "Chi SW, Mele A. Argonaute maps. Nature. 2009, 460: 479–86."
            author_part = head.group("names")
            rest = scan[head.end() : start].rstrip(" .,;([") + ". " + rest.lstrip(" ,;:")
        authors, etal = parse_authors(author_part)
        title, after_title = _title(rest)
    container, volume, issue, pages = _container(after_title)
    if pages is None:
        bp = BOOK_PAGES.search(after_title)
        if bp:
            pages = _pages(bp.group("first"), bp.group("last"))
    kind = "other"
    if volume:
        kind = "article"
    elif "In" in rest and (EDITED_IN.search(rest) or rest.startswith("In ")):
        kind = "chapter"
    elif PUBLISHER.search(after_title) or (ITALIC.search(entry) and title and _title_italic(entry, title)):
        kind = "book"
    elif url and not container:
        kind = "web"
    return Reference(
        span=span,
        text=text,
        authors=tuple(authors),
        etal=etal,
        year=year or None,
        suffix=suffix,
        title=title,
        container=container,
        volume=volume,
        issue=issue,
        pages=pages,
        doi=doi,
        url=url,
        kind=kind,
    )


ITALIC = regex(r"\*[^*]+\*|_[^_]+_")  # "*Title*", "_Title_"
EDITED_IN = regex(r"\bIn\b.*\((?:Eds?\.|Hrsg\.)\)")  # "In T. F. Oakes (Ed.)": a chapter


# The author list of an entry without a year, where the title plainly begins: Chicago's quoted
# title ("Harlow, Grace. “Marsh Bird Counts.”"), or after Vancouver names ("Harlow G, Ode K Marsh
# bird counts.").
_VANCOUVER_NAME = rf"{_U}[\w'’\-]+(?:[ \t]{_U}[\w'’\-]+)?[ \t]{_U}{{1,3}}"
UNDATED_AUTHORS = regex(
    rf"^(?:(?P<quoted>[^“”\"():]{{2,200}}?)\.[ \t]+[“\"]"
    rf"|(?P<edited>[^“”\"():.]{{2,100}}?[ \t]*\((?:[eé]ds?|Hrsg|Hg)\.\))"
    rf"|(?P<vancouver>{_VANCOUVER_NAME}(?:,[ \t]{_VANCOUVER_NAME})*)[ \t]+(?={_U}[{LOWER}]))"
)


# Vancouver names closed by a full stop before a title's first word: "Chi SW, Mele A. Argonaute".
VANCOUVER_HEAD = regex(
    rf"^(?P<names>{_VANCOUVER_NAME}(?:,[ \t]{_VANCOUVER_NAME})*(?:,?[ \t]+et[ \t]+al)?)\.[ \t]+(?={_U}[{LOWER}])"
)


def _undated_entry(text: str, scan: str, span: Span, doi: str | None, url: str | None) -> Reference:
    """An entry with no year, ``text`` its reference's text: its authors where they can be told
    from its title, so that a citation of them is linked (its year unchecked) rather than called missing."""
    m = UNDATED_AUTHORS.match(scan)
    authors: list[Author] = []
    etal = False
    if m is not None:
        authors, etal = parse_authors(m.group("quoted") or m.group("edited") or m.group("vancouver"))
        if not authors or any(a.group for a in authors):
            authors, etal = [], False
    return Reference(span=span, text=text, authors=tuple(authors), etal=etal, doi=doi, url=url)


def _colon_entry(scan: str, colons: bool = False) -> tuple[str, str, str, str] | None:
    """(authors, year, suffix, the rest) of an entry whose author list ends with a colon and whose
    year comes later: at its very end (Copernicus), or after the title (DIN 1505-2, "(2011)")."""
    m = _colon_head(scan, colons)
    if m is None:
        return None
    rest = scan[m.end() :]
    end = YEAR_AT_END.search(rest)
    if end is not None:
        return m.group("authors"), end.group("year"), end.group("suffix") or "", rest[: end.start()]
    ym = REF_YEAR_APA.search(rest) or REF_YEAR_BARE.search(rest)
    if ym is None:
        # In a list of colon entries one with no year is still one: DIN 1505-2 and Copernicus
        # print none for a web page or software ("ANDREWS, S.: FastQC.", "Overdose death rates:").
        return (m.group("authors"), "", "", rest) if colons else None
    year, suffix = _year_of(ym)
    return m.group("authors"), year, suffix, rest


def _colon_head(scan: str, colons: bool = False) -> re.Match[str] | None:
    """The author list that opens an entry and ends in a colon, in a list of such entries
    (``colons``) or where it reads as names: "Lee, J. and Park, K.:", "ANDREWS, S.:"."""
    m = AUTHORS_COLON.match(scan) if ":" in scan[:320] else None  # the test spares a failed search of 300 places
    if m is None:
        return None
    names = m.group("authors")
    if _NUMBER_IN_HEAD.search(names):
        return None
    if not colons and not re.search(r"[,;]|\b[A-Z]\.", names) and not ORG_HINT.search(names) and not names.isupper():
        return None  # "Title: subtitle" of an entry with no author
    return m


def _colon_title(rest: str) -> tuple[str | None, str]:
    """The title of a colon entry and what follows it: up to ". " (DIN), or, where the entry goes
    on with commas only (Copernicus: "Title, Journal, 14, 88–104"), up to the container before
    the volume."""
    if re.search(r"(?<=[^\s.])\.\s+\S", rest):
        return _title(rest)
    vp = VOLUME_PAGES.search(rest)
    if vp is not None:
        head = rest[: vp.start()]
        cut = head.rfind(",")
        if cut > 0:
            return head[:cut].strip(" .,") or None, rest[cut:].lstrip(" ,")
    return _title(rest)


ORIGINAL_THEN = regex(r"[(\[]((?:1[5-9]|20)\d\d)[)\]][ \t]+((?:1[5-9]|20)\d\d)([a-z])?(?=[.,])")


def _entry_year(scan: str) -> re.Match[str] | None:
    """The year of an entry: the bracketed one (``REF_YEAR_APA``), or a bare one (``_bare_year``)."""
    ym = REF_YEAR_APA.search(scan)
    # The year right after the authors wins over a bracketed one later on: Chicago's "Brown,
    # Thomas. 2003. “Title.” Old Coasts 5 (2003): 100–140." (Taylor & Francis repeats it).
    if ym is None or ym.start() > 0.8 * len(scan):
        bare = _bare_year(scan, len(scan))
        return bare if bare is not None else ym
    # Before a bracketed year near the start only a bare year before it can win, and the one found
    # before it wins exactly when the one found in the whole entry would: it is looked for there.
    bare = _bare_year(scan, ym.start())
    return bare if bare is not None and _right_after_names(scan, bare, ym) else ym


def _right_after_names(scan: str, bare: re.Match[str], bracketed: re.Match[str]) -> bool:
    """Whether a bare year closes the author list, before a bracketed year: "Brown, Thomas. 2003."."""
    if bare.start() >= bracketed.start():
        return False
    before = scan[: bare.start()].rstrip()
    return before.endswith(".") and not re.search(r"[“\"]", before)


def _bare_year(scan: str, end: int) -> re.Match[str] | None:
    # Harvard "Smith, J. 2018. Title." or Chicago "Smith, John. 2018. Title.": the first year after
    # what reads as an author list (before ``end``). Chicago notes put the year at the end: "... Press, 2018."
    first = None
    for m in REF_YEAR_BARE.finditer(scan, 0, end):
        before = scan[: m.start()].rstrip()
        if not before or before.endswith((".", ",", "(")):
            if first is not None and _closes_names(scan[: first.start()]):
                return first  # AAA: "..., and T.M. Errington 2017 Replication of Lin et al., 2012"
            return m
        first = first or m
    return first  # the first year of all, as REF_YEAR_BARE.search finds it


def _closes_names(before: str) -> bool:
    """Whether the text before a bare year is an author list, each name with its initials, that
    ends with initials or a name in natural order: AAA writes the year so, "Seidl, B., K. Huemer,
    and A. Ziegler 2011 Title", and Harvard "Fo, C 1990, ‘Title’"; a year after a full stop or a
    comma further on is then the title's ("Arcangeli, 1938", "winter, 1979")."""
    before = before.rstrip()
    if not before[-1:].isalpha() or "," not in before:
        return False
    last = _LAST_NAME.split(before)[-1].strip()
    if not (_initials(last) or _natural(last)):
        return False
    authors, _ = parse_authors(before)
    return bool(authors) and all(a.initials and not a.group for a in authors)


_LAST_NAME = regex(r",|\s(?:&|and)\s")


def _year_of(m: re.Match[str]) -> tuple[str, str]:
    if m.group("year"):
        return m.group("year"), m.group("suffix") or ""
    if m.group("nd"):
        return "n.d.", m.group("ndsuffix") or ""
    return " ".join(m.group("press").lower().split()), m.group("presssuffix") or ""


# Where a title ends: a stop after a word and the blanks after it, or the blanks after a "?" or "!"
# ("(?<=[^\s.])[.?!]\s+(?=\S)|(?<=[?!])\s+"). It opens with the class of the character either
# starts at, so that the engine skips to one instead of trying both lookbehinds at each character.
TITLE_END = regex(r"[.?!\s](?:(?<=[^\s.][.?!])\s+(?=\S)|(?<=[?!]\s)\s*)")


def _title(rest: str) -> tuple[str | None, str]:
    quoted = QUOTED_TITLE.match(rest)
    if quoted:  # Chicago and Harvard quote article titles: "Sediment Budgets." Marine Geology ...
        return quoted.group("title").rstrip(" .,") or None, rest[quoted.end() :]
    m = TITLE_END.search(rest)
    if m is None:
        return (rest.strip(" .") or None), ""
    title = rest[: m.start() + 1].strip()
    title = title.rstrip(".") if not title.endswith(("?", "!")) else title
    return title or None, rest[m.end() :]


# Where the container of an entry without volume and pages ends: a sentence's stop, the pages, a link.
CONTAINER_END = regex(r"(?<=[^\s.][a-z])\.\s|,\s*pp?\.|\.\s*https?://")


def _container(after: str) -> tuple[str | None, str | None, str | None, Pages | None]:
    vp = (
        VOLUME_PAGES.search(after)
        or CHICAGO_VOLUME_PAGES.search(after)
        or LABELLED_VOLUME_PAGES.search(after)
        or BARE_VOLUME_PAGES.search(after)
    )
    if vp and vp.start() > 0:
        container = after[: vp.start()].strip(" .,") or None
        pages = _pages(vp.group("first"), vp.group("last")) if vp.group("first") else None
        return container, vp.group("volume"), vp.group("issue"), pages
    head = CONTAINER_END.split(after, maxsplit=1)[0]
    return (head.strip(" .,") or None), None, None, None


def _pages(first: str, last: str | None) -> Pages:
    if last and len(last) < len(first):
        low, high = page_number(first), page_number(last)
        if low is not None and high is not None and high < low:
            # "1234–56" means 1234–1256
            last = first[: len(first) - len(last)] + last
    return Pages(first=first, last=last)


def _title_italic(entry: str, title: str) -> bool:
    head = title[:20]
    i = entry.find(head)
    return i > 0 and entry[i - 1] in "*_"
