"""Convert the vanban-2025 corpus into knowledge-base files under content/documents/.

Usage: python scripts/convert_vanban.py [--source ../shared/corpus/vanban-2025]
                                         [--out content/documents]

Each document of the corpus index becomes ``<slug>.md``: YAML front matter (number, type,
issuer, issued, status, topics, summary, source) followed by the document text in Markdown.
The slug is the folded number ("2666/QĐ-UBND" → "2666-qd-ubnd"); when several documents
share a number, every one of them gets a short issuer suffix ("2666-qd-ubnd-can-tho").

The generated slugs are listed in ``.vanban-2025.txt`` next to the files. A re-run rewrites
those files, deletes the ones that are no longer generated and refuses to overwrite any other
file, so documents written by hand in the same folder are never touched. Output is
deterministic: two runs give byte-identical files.

Topics come from a controlled vocabulary, assigned by keyword rules over the title (trích
yếu) and the text:
  TTHC            thủ tục hành chính
  Một cửa         một cửa, bộ phận tiếp nhận và trả kết quả, trung tâm phục vụ hành chính công
  Chính quyền số  dịch vụ công trực tuyến, chuyển đổi số, chính phủ số, hệ thống thông tin,
                  chữ ký số, thư điện tử (công vụ)
  Công vụ         cán bộ, công chức, viên chức; đánh giá, xếp loại; tuyển dụng
  Bộ máy          chức năng, nhiệm vụ, quyền hạn; cơ cấu tổ chức; sắp xếp
  PAR-INDEX, PCI, PAPI, SIPAS, ICT-INDEX   the indices, by name or full Vietnamese name
  Văn thư         văn thư, lưu trữ
A title keyword is enough; in the text a keyword must recur often enough (a minimum count
and a minimum density) so that passing mentions do not tag a document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from vanban_body import convert_document
from vanban_meta import (
    assign_slugs,
    clean_title,
    fold,
    issuer_name,
    summary_from_title,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
MANIFEST_NAME = ".vanban-2025.txt"
STATUS = "in_force"


@dataclass(frozen=True)
class TopicRule:
    """Keywords for one topic: any title keyword, or enough text keywords."""

    title: tuple[str, ...]
    text: tuple[str, ...]
    min_count: int = 10
    per_10k_chars: float = 4.0


TOPIC_RULES: dict[str, TopicRule] = {
    "TTHC": TopicRule(("thủ tục hành chính", "TTHC"), ("thủ tục hành chính", "TTHC"), 10, 3.0),
    "Một cửa": TopicRule(
        ("một cửa", "bộ phận tiếp nhận và trả kết quả", "trung tâm phục vụ hành chính công"),
        ("một cửa", "bộ phận tiếp nhận và trả kết quả", "trung tâm phục vụ hành chính công"),
    ),
    "Chính quyền số": TopicRule(
        (
            "dịch vụ công trực tuyến",
            "chuyển đổi số",
            "chính phủ số",
            "chính quyền số",
            "hệ thống thông tin",
            "chữ ký số",
            "thư điện tử",
            "quy trình điện tử",
            "công nghệ số",
            "cơ sở dữ liệu",
        ),
        (
            "dịch vụ công trực tuyến",
            "chuyển đổi số",
            "chính phủ số",
            "chính quyền số",
            "hệ thống thông tin",
            "chữ ký số",
            "thư điện tử công vụ",
        ),
    ),
    "Công vụ": TopicRule(
        (
            "cán bộ, công chức",
            "công chức, viên chức",
            "đánh giá, xếp loại",
            "tuyển dụng",
            "quy tắc ứng xử",
            "văn hóa công vụ",
            "đạo đức công vụ",
        ),
        ("cán bộ, công chức", "công chức, viên chức", "đánh giá, xếp loại", "tuyển dụng"),
        20,
        5.0,
    ),
    "Bộ máy": TopicRule(
        ("chức năng, nhiệm vụ, quyền hạn", "cơ cấu tổ chức", "sắp xếp"),
        ("chức năng, nhiệm vụ, quyền hạn", "cơ cấu tổ chức", "sắp xếp tổ chức bộ máy"),
        10,
        5.0,
    ),
    "PAR-INDEX": TopicRule(
        ("PAR INDEX", "PAR-INDEX", "chỉ số cải cách hành chính"),
        ("PAR INDEX", "PAR-INDEX", "chỉ số cải cách hành chính"),
        1,
        0.0,
    ),
    "PCI": TopicRule(
        ("PCI", "năng lực cạnh tranh cấp tỉnh"), ("PCI", "năng lực cạnh tranh cấp tỉnh"), 1, 0.0
    ),
    "PAPI": TopicRule(
        ("PAPI", "hiệu quả quản trị và hành chính công"),
        ("PAPI", "hiệu quả quản trị và hành chính công"),
        1,
        0.0,
    ),
    "SIPAS": TopicRule(
        ("SIPAS", "chỉ số hài lòng"), ("SIPAS", "chỉ số hài lòng về sự phục vụ"), 1, 0.0
    ),
    "ICT-INDEX": TopicRule(
        ("ICT INDEX", "ICT-INDEX"),
        ("ICT INDEX", "ICT-INDEX", "sẵn sàng cho phát triển và ứng dụng công nghệ thông tin"),
        1,
        0.0,
    ),
    "Văn thư": TopicRule(
        ("văn thư", "lưu trữ"),
        ("văn thư, lưu trữ", "công tác văn thư", "công tác lưu trữ", "tài liệu lưu trữ"),
        5,
        1.0,
    ),
}
TOPICS = tuple(TOPIC_RULES)


@functools.cache
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(k)) for k in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def _count(folded_text: str, keywords: tuple[str, ...]) -> int:
    return len(_keyword_pattern(keywords).findall(folded_text))


def assign_topics(title: str, text: str) -> list[str]:
    """Return the topics of a document, in vocabulary order."""
    folded_title, folded_text = fold(title), fold(text)
    size = max(len(text), 1)
    topics = []
    for topic, rule in TOPIC_RULES.items():
        if _count(folded_title, rule.title):
            topics.append(topic)
            continue
        count = _count(folded_text, rule.text)
        if count and count >= rule.min_count and count * 10_000 / size >= rule.per_10k_chars:
            topics.append(topic)
    return topics


def repair_number(number: str, text: str) -> str:
    """Complete a number that the index cut at a line break ("3783/QĐ-" → "3783/QĐ-UBND")."""
    number = unicodedata.normalize("NFC", number.strip())
    if not number.endswith(("-", "/")):
        return number
    match = re.search(re.escape(number) + r"\s*([A-ZĐ0-9][A-ZĐ0-9-]*)", text[:3000])
    return number + match.group(1) if match else number


def front_matter(meta: dict[str, object]) -> str:
    """Serialise front matter as YAML between "---" lines."""
    body = yaml.safe_dump(
        meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1_000_000
    )
    return f"---\n{body}---\n"


def build_document(record: dict[str, str], text: str) -> tuple[dict[str, object], str]:
    """Return the front matter and Markdown body of one corpus document."""
    text = unicodedata.normalize("NFC", text)
    title = clean_title(record["trich_yeu"])
    meta: dict[str, object] = {
        "number": repair_number(record["so_hieu"], text),
        "type": unicodedata.normalize("NFC", record["loai"]).strip(),
        "issuer": issuer_name(record["co_quan_ban_hanh"]),
        "issued": dt.date.fromisoformat(record["ngay_ban_hanh"]),
        "status": STATUS,
        "topics": assign_topics(title, text),
        "summary": summary_from_title(record["trich_yeu"]),
        "source": f"vanban-2025 (thuvienphapluat.vn crawl), id {record['id']}",
    }
    return meta, convert_document(text, title)


def load_index(source: Path) -> list[dict[str, str]]:
    """Read the corpus index, one JSON object per line."""
    lines = (source / "index.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def read_manifest(out: Path) -> set[str]:
    """Return the slugs a previous run generated in ``out``."""
    path = out / MANIFEST_NAME
    if not path.exists():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


class ConversionError(Exception):
    """The conversion cannot proceed without damaging files it does not own."""


def render_all(source: Path) -> dict[str, str]:
    """Convert every document of the corpus; return file contents by slug."""
    records = load_index(source)
    texts = {r["id"]: (source / r["file"]).read_text(encoding="utf-8") for r in records}
    slugs = assign_slugs(
        (r["id"], repair_number(r["so_hieu"], texts[r["id"]]), issuer_name(r["co_quan_ban_hanh"]))
        for r in records
    )
    files: dict[str, str] = {}
    for record in sorted(records, key=lambda r: slugs[r["id"]]):
        meta, body = build_document(record, texts[record["id"]])
        files[slugs[record["id"]]] = front_matter(meta) + "\n" + body
    return files


def write_all(files: dict[str, str], out: Path) -> tuple[int, int]:
    """Write generated files and the manifest; return (written, removed)."""
    owned = read_manifest(out)
    foreign = [s for s in sorted(files) if (out / f"{s}.md").exists() and s not in owned]
    if foreign:
        names = ", ".join(f"{s}.md" for s in foreign)
        raise ConversionError(
            f"Không ghi đè tệp không do công cụ này tạo trong {out}: {names}. "
            f"Hãy đổi tên tệp đó hoặc thêm tên vào {MANIFEST_NAME} nếu muốn thay thế."
        )
    out.mkdir(parents=True, exist_ok=True)
    for slug, content in sorted(files.items()):
        (out / f"{slug}.md").write_text(content, encoding="utf-8", newline="\n")
    stale = sorted(owned - set(files))
    for slug in stale:
        (out / f"{slug}.md").unlink(missing_ok=True)
    manifest = "# Generated by scripts/convert_vanban.py from the vanban-2025 corpus.\n"
    manifest += "".join(f"{slug}\n" for slug in sorted(files))
    (out / MANIFEST_NAME).write_text(manifest, encoding="utf-8", newline="\n")
    return len(files), len(stale)


def default_source() -> Path:
    """Return the corpus folder: $CCHC_SHARED_DIR or ../shared next to the repository."""
    shared = os.environ.get("CCHC_SHARED_DIR")
    base = Path(shared) if shared else REPO_ROOT.parent / "shared"
    return base / "corpus" / "vanban-2025"


def main(argv: list[str] | None = None) -> int:
    """Run the conversion from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=default_source())
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "content" / "documents")
    args = parser.parse_args(argv)
    if not (args.source / "index.jsonl").is_file():
        print(f"Lỗi: không tìm thấy {args.source / 'index.jsonl'}", file=sys.stderr)
        return 2
    try:
        written, removed = write_all(render_all(args.source), args.out)
    except ConversionError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    print(f"Đã ghi {written} văn bản vào {args.out}, xóa {removed} tệp cũ.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
