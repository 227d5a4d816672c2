"""The public entry points: Markdown to sanitized HTML, to inline HTML, to plain text."""

from __future__ import annotations

from collections.abc import Callable

from .context import ENV_KEY, RenderContext
from .parser import block_parser, inline_parser
from .results import Rendered
from .sanitize import clean
from .slugs import SlugRegistry
from .source import prepare_source
from .toc import toc_entries, toc_html
from .tokentext import block_text


def render(
    text: str,
    *,
    doc_link_resolver: Callable[[str], str | None] | None = None,
    asset_resolver: Callable[[str], str | None] | None = None,
    allow_external_images: bool = False,
    first_line: int = 1,
) -> Rendered:
    """Render Markdown to sanitized HTML with its table of contents and link reports.

    `doc_link_resolver` maps a normalised document number to a URL (None: broken link);
    `asset_resolver` maps a relative image path to a URL (None: missing image);
    `first_line` is the file line the text starts on, for reports after front matter.
    """
    source = prepare_source(text)
    ctx = RenderContext(
        doc_link_resolver=doc_link_resolver,
        asset_resolver=asset_resolver,
        allow_external_images=allow_external_images,
        first_line=first_line,
    )
    md = block_parser(SlugRegistry())
    env = {ENV_KEY: ctx}
    tokens = md.parse(source, env)
    html = clean(md.renderer.render(tokens, md.options, env))
    toc = toc_entries(ctx.headings)
    return Rendered(
        html=html,
        toc=toc,
        toc_html=clean(toc_html(toc)),
        doc_links=list(ctx.doc_links),
        missing_assets=list(ctx.missing_assets),
        headings=list(ctx.headings),
        blocked_images=list(ctx.blocked_images),
    )


def render_inline(
    text: str, *, doc_link_resolver: Callable[[str], str | None] | None = None
) -> str:
    """Render one line of Markdown (emphasis, code, links) to sanitized HTML without blocks."""
    source = " ".join(prepare_source(text, "Dòng Markdown").split("\n"))
    ctx = RenderContext(doc_link_resolver=doc_link_resolver)
    env = {ENV_KEY: ctx}
    md = inline_parser()
    return clean(md.renderer.render(md.parseInline(source, env), md.options, env)).strip()


def to_plain_text(text: str) -> str:
    """Return the readable words of a Markdown text, without markup, for search and snippets."""
    source = prepare_source(text)
    env = {ENV_KEY: RenderContext()}
    return block_text(block_parser(SlugRegistry()).parse(source, env))
