"""Per-render state: the callers' resolvers, source line tracking and the reports found."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .brackets import BracketMap
from .results import AssetRef, DocLink, TocEntry

ENV_KEY = "cchc_markup"

Resolver = Callable[[str], "str | None"]


@dataclass
class RenderContext:
    """Everything one render needs besides the parser, kept in markdown-it's `env`."""

    doc_link_resolver: Resolver | None = None
    asset_resolver: Resolver | None = None
    allow_external_images: bool = False
    first_line: int = 1
    doc_links: list[DocLink] = field(default_factory=list)
    missing_assets: list[AssetRef] = field(default_factory=list)
    blocked_images: list[AssetRef] = field(default_factory=list)
    headings: list[TocEntry] = field(default_factory=list)
    elements: int = 0
    """Tokens created so far, counted against `budget.MAX_ELEMENTS`."""
    _block_line: int = 0
    _block_src: str | None = None
    _newlines: list[int] | None = None
    _doc_urls: dict[str, str | None] = field(default_factory=dict)
    _asset_urls: dict[str, str | None] = field(default_factory=dict)
    _bracket_maps: dict[int, tuple[str, BracketMap]] = field(default_factory=dict)

    def begin_inline(self, src: str, block_line: int | None) -> None:
        """Note the text and 0-based first line of the inline block about to be parsed."""
        if block_line is not None:
            self._block_line = block_line
        self._block_src = src
        self._newlines = None

    def line_at(self, src: str, pos: int) -> int:
        """Return the 1-based source line of position `pos` in the inline text `src`."""
        line = self.first_line + self._block_line
        # Nested parses (image alt text, inline footnotes) see a copy, not the block text.
        if src is not self._block_src:
            return line
        if self._newlines is None:
            self._newlines = _newline_offsets(src)
        return line + bisect_left(self._newlines, pos)

    def can_close(self, src: str, opener: int) -> bool:
        """Return False if the `[` at `opener` in this inline text can never be closed."""
        # Keyed by id() with the text kept alive, so an id is never reused for another text.
        cached = self._bracket_maps.get(id(src))
        if cached is None or cached[0] is not src:
            cached = (src, BracketMap(src))
            self._bracket_maps[id(src)] = cached
        return cached[1].can_close(opener)

    def resolve_doc(self, number: str) -> str | None:
        """Ask the caller for the URL of a document number, once per number per render."""
        if number not in self._doc_urls:
            url = self.doc_link_resolver(number) if self.doc_link_resolver else None
            self._doc_urls[number] = url or None
        return self._doc_urls[number]

    def resolve_asset(self, path: str) -> str | None:
        """Ask the caller for the URL of a relative image path, once per path per render."""
        if path not in self._asset_urls:
            url = self.asset_resolver(path) if self.asset_resolver else None
            self._asset_urls[path] = url or None
        return self._asset_urls[path]


def _newline_offsets(src: str) -> list[int]:
    offsets = []
    pos = src.find("\n")
    while pos >= 0:
        offsets.append(pos)
        pos = src.find("\n", pos + 1)
    return offsets


def context_of(env: MutableMapping[str, Any]) -> RenderContext:
    """Return the render context stored in a markdown-it env, creating a blank one if absent."""
    ctx = env.get(ENV_KEY)
    if not isinstance(ctx, RenderContext):
        ctx = RenderContext()
        env[ENV_KEY] = ctx
    return ctx
