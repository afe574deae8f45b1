"""How references and citations are named in the rules' messages."""

from __future__ import annotations

from collections.abc import Iterator

from citecheck.model import Citation, Link, LinkStatus, Reference
from citecheck.rules.registry import Context


def ref_label(ref: Reference) -> str:
    """ "Smith (2018)", "Smith & Lee (2018)", "Smith et al. (2018)" as the list has it."""
    names = [a.family for a in ref.authors]
    if not names:
        who = "an entry"
    elif len(names) == 1 and not ref.etal:
        who = names[0]
    elif len(names) == 2 and not ref.etal:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} ({ref.year_label or 'no year'})"


def with_initial(ref: Reference) -> str:
    a = ref.authors[0]
    initial = f"{a.initials[0]}. " if a.initials else ""
    return f"{initial}{a.family}, {ref.year_label}"


def family_initial_year(ref: Reference) -> str:
    """ "Brown, J. (2021)"."""
    a = ref.authors[0]
    return f"{a.family}, {a.initials[0] + '. ' if a.initials else ''}({ref.year_label})"


def short_title(ref: Reference) -> str:
    title = ref.title or ref.text
    return title if len(title) <= 40 else title[:37].rstrip() + "..."


def cited_authors(c: Citation) -> str:
    """ "Smith", "Smith & Lee", "Smith et al." as cited."""
    if c.etal:
        return f"{c.authors[0]} et al."
    return " & ".join(c.authors) if len(c.authors) <= 2 else ", ".join(c.authors[:-1]) + f" & {c.authors[-1]}"


def as_cited(ctx: Context, c: Citation) -> str:
    """The citation as written, less any running header that a page break put inside it; for a
    keyed citation, the command it stands in."""
    if c.key is not None:
        return c.command or c.key
    return " ".join(ctx.clean[c.span.start : c.span.end].split())


def pages_label(ref: Reference) -> str:
    assert ref.pages is not None
    return ref.pages.first + (f"–{ref.pages.last}" if ref.pages.last else "")


def linked(ctx: Context, status: LinkStatus) -> Iterator[tuple[Link, Citation, Reference]]:
    """The citations linked to a reference with the given status, with that reference."""
    for link in ctx.links:
        if link.status is status and link.reference is not None:
            yield link, ctx.citations[link.citation], ctx.references[link.reference]


def cited_references(ctx: Context) -> set[int]:
    """The entries some citation links to; shared by the rules (``Context.shared``), so never changed."""
    cited: set[int] = set()
    for link in ctx.links:
        if link.reference is not None:
            cited.add(link.reference)
        cited.update(link.also)
    return cited
