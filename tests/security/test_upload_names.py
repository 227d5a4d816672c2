"""An uploaded file's name, as shown to people: the last component of whatever the browser sent.

The bodies are written byte for byte, as browsers send them, so the result does not depend on
how a test client or a Werkzeug release quotes file names.
"""

from __future__ import annotations

import pytest
from flask import Flask, request

from cchc_learn.formkit import tidy_file_name, upload_name

BOUNDARY = "----cchcBoundary7MA4YWxkTrZu0gW"


def _received(disposition_name: str) -> str:
    body = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; {disposition_name}\r\n'
        "Content-Type: text/csv\r\n\r\n"
        "Mã,Tên\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()
    app = Flask(__name__)
    with app.test_request_context(
        "/", method="POST", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    ):
        return upload_name(request.files["file"])


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        # Internet Explorer and old Edge send the whole Windows path, backslashes unescaped.
        ('filename="C:\\Users\\hv\\Tải về\\donvi.csv"', "donvi.csv"),
        ('filename="\\\\may-chu\\chia-se\\don vi.csv"', "don vi.csv"),
        ('filename="/home/hv/Tải về/donvi.csv"', "donvi.csv"),
        ('filename="donvi.csv"', "donvi.csv"),
        # Browsers write a quote as %22 (HTML's rules); RFC 9110 clients escape it.
        ('filename="bao %22cao%22.csv"', 'bao "cao".csv'),
        ('filename="bao \\"cao\\".csv"', 'bao "cao".csv'),
        # Bidi overrides and other format or control characters are dropped.
        ('filename="C:\\Tải về\\don\u202evi\u200b\x07.csv"', "donvi.csv"),
        # Decomposed Vietnamese (macOS) is shown composed.
        ('filename="Ta\u0309i lie\u0302\u0323u.xlsx"', "Tải liệu.xlsx"),
        # RFC 5987 names are decoded by Werkzeug and tidied the same way.
        ("filename*=UTF-8''C%3A%5CT%E1%BA%A3i%20v%E1%BB%81%5Cdonvi.csv", "donvi.csv"),
        ('filename=""', "tep-tai-len"),
        ('filename="/home/hv/"', "tep-tai-len"),
        ('filename="' + "a" * 1000 + '.csv"', "a" * 255),
    ],
)
def test_only_the_last_component_is_shown(sent, shown):
    assert _received(sent) == shown


def test_a_name_without_headers_is_tidied_alike():
    assert tidy_file_name("C:\\Tải về\\x.csv") == "x.csv"
    assert tidy_file_name("../../etc/passwd") == "passwd"
    assert tidy_file_name("\x00\u202e") == "tep-tai-len"
