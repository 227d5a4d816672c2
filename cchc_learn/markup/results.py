"""What a render returns: HTML plus everything a linter or a page needs to know."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TocEntry:
    """One heading: its level (1-6), anchor id and plain-text title."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class DocLink:
    """One `[[NUMBER]]` link: normalised number, 1-based source line, whether it resolved."""

    number: str
    line: int
    resolved: bool
    label: str = ""
    url: str | None = None


@dataclass(frozen=True)
class AssetRef:
    """An image path as written and the 1-based source line it is on."""

    path: str
    line: int


@dataclass(frozen=True)
class Rendered:
    """Sanitized HTML of a Markdown text, its table of contents and its link reports."""

    html: str
    toc: list[TocEntry] = field(default_factory=list)
    toc_html: str = ""
    doc_links: list[DocLink] = field(default_factory=list)
    missing_assets: list[AssetRef] = field(default_factory=list)
    headings: list[TocEntry] = field(default_factory=list)
    blocked_images: list[AssetRef] = field(default_factory=list)

    @property
    def broken_links(self) -> list[DocLink]:
        """Return the document links that did not resolve."""
        return [link for link in self.doc_links if not link.resolved]
