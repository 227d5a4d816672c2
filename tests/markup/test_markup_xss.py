"""OWASP-style attack strings: none of them may reach the reader's browser as active content."""

from __future__ import annotations

import pytest
from markup_audit import audit, url_problem

from cchc_learn.markup import render, render_inline, sanitize_html

MARKDOWN_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=javascript:alert(1)>x</a>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<!-- <script>alert(1)</script> -->",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](java%09script:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[x](&#x6A;avascript&colon;alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](java\u200bscript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](//evil.example)",
    "[x](/\\evil.example)",
    "[x](\\\\evil.example)",
    "[x](/%5Cevil.example)",
    "[x](https:evil.example)",
    "[x](http:/\\evil.example)",
    "[x](file:///etc/passwd)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "![x](//evil.example/a.png)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,x>",
    '[x](https://ok.example "<script>alert(1)</script>")',
    '[x](https://ok.example "x\\" onmouseover=\\"alert(1)")',
    "[x]: javascript:alert(1)\n\n[x]",
    "[x][r]\n\n[r]: //evil.example",
    "[[javascript:alert(1)]]",
    "[[1/A|<script>alert(1)</script>]]",
    '!!! note onclick=alert(1) "<img src=x onerror=alert(1)>"\n    x',
    '```js" onclick="alert(1)\nx\n```',
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "Term\n: <img src=x onerror=alert(1)>",
    "[^1]\n\n[^1]: <script>alert(1)</script>",
    "# <img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
]


@pytest.mark.parametrize("vector", MARKDOWN_VECTORS)
def test_rendered_markdown_has_no_active_content(vector):
    for resolver in (None, lambda number: number):
        result = render(vector, doc_link_resolver=resolver, asset_resolver=resolver)
        assert audit(result.html) == [], result.html
        assert audit(result.toc_html) == []
    assert audit(render_inline(vector)) == []


def test_raw_script_is_shown_as_text():
    assert render("<script>alert(1)</script>").html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    )


def test_refused_link_leaves_its_text_readable():
    assert render("[bấm vào](javascript:alert(1))").html == (
        "<p>[bấm vào](javascript:alert(1))</p>\n"
    )


HTML_VECTORS = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<a href="vbscript:x">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/\\evil.example/">x</a>',
    '<a href="\\\\evil.example/">x</a>',
    '<a href="/%5Cevil.example/">x</a>',
    '<a href="https:evil.example">x</a>',
    '<img src="javascript:alert(1)">',
    "<img src=x onerror=alert(1)>",
    '<img src="data:image/png;base64,AAAA">',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    '<div class="admonition" onmouseover="alert(1)">x</div>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="https://ok.example/" target="_blank" rel="opener">x</a>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


@pytest.mark.parametrize("vector", HTML_VECTORS)
def test_sanitize_html_removes_active_content(vector):
    assert audit(sanitize_html(vector)) == []


def test_sanitize_html_keeps_the_allowlist():
    html = (
        '<h2 id="muc-tieu">Mục tiêu</h2><p class="admonition-title">T</p>'
        '<a class="doc-link" href="/kb/1" title="t">x</a><img src="/a.png" alt="a">'
        '<div class="admonition warning">w</div><pre><code class="language-python">c</code></pre>'
    )
    assert sanitize_html(html) == html


def test_sanitize_html_drops_unknown_classes_ids_and_attributes():
    out = sanitize_html(
        '<div class="admonition x-evil"><span class="doc-link hidden" data-x="1">s</span>'
        '<h2 id="a b">h</h2><ol start="1; x"><li>i</li></ol>'
        '<code class="language-a b">c</code><code class="x">d</code></div>'
    )
    assert out == (
        '<div class="admonition"><span class="doc-link">s</span><h2>h</h2>'
        '<ol><li>i</li></ol><code class="language-a">c</code><code>d</code></div>'
    )


def test_external_links_get_rel_and_internal_ones_do_not():
    out = sanitize_html('<a href="https://x.example/">e</a> <a href="/kb/">i</a>')
    assert out == (
        '<a href="https://x.example/" rel="noopener noreferrer nofollow">e</a> <a href="/kb/">i</a>'
    )


def test_rel_cannot_be_smuggled_through_an_attribute_value():
    out = sanitize_html('<a title="x> <a href=https://e.example" href="/kb/">x</a>')
    assert "rel=" not in out
    assert audit(out) == []


@pytest.mark.parametrize(
    "url",
    ["javascript:x", " javascript:x", "java\tscript:x", "//h", "/\\h", "data:x", "http:/\\h"],
)
def test_audit_itself_flags_dangerous_urls(url):
    # The audit is the yardstick of the tests above; it must fail on what it guards against.
    assert url_problem(url)
    assert audit(f'<a href="{url}">x</a>')
