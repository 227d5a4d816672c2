"""After parsing: resolve doc links and images, record headings, tidy what HTML will show."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from markdown_it.token import Token

from .context import RenderContext
from .results import AssetRef, DocLink, TocEntry
from .tokentext import inline_text
from .urls import is_external_url, is_relative_path

_ALIGN_STYLES = {
    "text-align:left": "align-left",
    "text-align:center": "align-center",
    "text-align:right": "align-right",
}

ADMONITION_TITLES = {
    "note": "Ghi chú",
    "info": "Thông tin",
    "tip": "Mẹo",
    "hint": "Gợi ý",
    "important": "Quan trọng",
    "warning": "Lưu ý",
    "caution": "Thận trọng",
    "danger": "Nguy hiểm",
    "example": "Ví dụ",
    "question": "Câu hỏi",
    "summary": "Tóm tắt",
    "quote": "Trích dẫn",
    "success": "Kết quả",
}
"""Titles shown when an admonition names only its kind, e.g. `!!! note`."""


def resolve_tokens(tokens: Sequence[Token], ctx: RenderContext) -> None:
    """Walk the parsed document once, resolving links and collecting reports into `ctx`."""
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            _resolve_inline(token.children or [], ctx)
        elif kind in ("th_open", "td_open"):
            _align_to_class(token)
        elif kind == "heading_open":
            _record_heading(token, tokens[index + 1], ctx)
        elif kind == "admonition_open":
            _localize_admonition_title(token, tokens, index)


def _resolve_inline(children: Sequence[Token], ctx: RenderContext) -> None:
    open_links: list[Token] = []
    for token in children:
        kind = token.type
        if kind == "doc_link_open":
            _resolve_doc_link(token, ctx)
        elif kind == "image":
            _resolve_image(token, ctx)
            _resolve_inline(token.children or [], ctx)
        elif kind == "link_open":
            # markdown-it keeps a link whose URL it refused, with an empty href: show its text.
            if not token.attrGet("href"):
                token.meta["drop"] = True
            open_links.append(token)
        elif kind == "link_close" and open_links:
            if open_links.pop().meta.get("drop"):
                token.meta["drop"] = True
        elif kind in ("s_open", "s_close"):
            token.tag = "del"


def _resolve_doc_link(token: Token, ctx: RenderContext) -> None:
    meta = token.meta
    url = ctx.resolve_doc(meta["number"])
    meta["href"] = url
    ctx.doc_links.append(
        DocLink(
            number=meta["number"],
            line=meta["line"],
            resolved=url is not None,
            label=meta["label"],
            url=url,
        )
    )


def _resolve_image(token: Token, ctx: RenderContext) -> None:
    src = str(token.attrGet("src") or "")
    line = int(token.meta.get("line", ctx.first_line))
    if is_external_url(src):
        if not ctx.allow_external_images:
            token.meta["replacement"] = "image-external"
            ctx.blocked_images.append(AssetRef(path=src, line=line))
        return
    if not src:
        # markdown-it empties a URL it refused (`javascript:`, `data:`…): show the alt text.
        token.meta["replacement"] = "image-missing"
        return
    if not is_relative_path(src):
        # Same-site absolute paths such as /static/logo.png need no resolving.
        return
    path = unquote(src)
    url = ctx.resolve_asset(path)
    if url is None:
        token.meta["replacement"] = "image-missing"
        ctx.missing_assets.append(AssetRef(path=path, line=line))
    else:
        token.attrSet("src", url)


def _align_to_class(token: Token) -> None:
    style = token.attrGet("style")
    if style is None:
        return
    token.attrs.pop("style", None)
    css_class = _ALIGN_STYLES.get(str(style).replace(" ", ""))
    if css_class:
        token.attrSet("class", css_class)


def _record_heading(token: Token, inline: Token, ctx: RenderContext) -> None:
    ctx.headings.append(
        TocEntry(
            level=int(token.tag[1]),
            id=str(token.attrGet("id") or ""),
            title=inline_text(inline.children or []),
        )
    )


def _localize_admonition_title(token: Token, tokens: Sequence[Token], index: int) -> None:
    params = token.info.strip()
    # Only a bare kind (`!!! note`) gets a default title; the plugin's is English.
    if " " in params or index + 2 >= len(tokens):
        return
    title_open, inline = tokens[index + 1], tokens[index + 2]
    if title_open.type != "admonition_title_open" or inline.type != "inline":
        return
    title = ADMONITION_TITLES.get(params.lower())
    if title is None:
        return
    inline.content = title
    inline.children = [Token("text", "", 0, content=title)]
