"""A small corpus of documents, lessons and questions for the search engine tests."""

from __future__ import annotations

from pathlib import Path

from cchc_learn.search.documents import PUBLIC, IndexDocument
from cchc_learn.search.engine import SearchIndex


def make_doc(key: str, **fields) -> IndexDocument:
    """Return an index document; kind and id come from the key ("document:4")."""
    kind, _, ident = key.partition(":")
    fields.setdefault("kind", kind)
    fields.setdefault("id", int(ident) if ident.isdigit() else ident)
    fields.setdefault("title", f"Mục {key}")
    fields.setdefault("url", f"/{kind}/{ident}")
    return IndexDocument(key=key, **fields)


CORPUS = [
    make_doc(
        "document:1",
        number="4599/QĐ-UBND",
        title="Quyết định 4599/QĐ-UBND phê duyệt Đề án tăng cường năng lực đội ngũ",
        summary="Tăng cường năng lực đội ngũ cán bộ làm công tác cải cách hành chính giai "
        "đoạn 2022–2030",
        body="Đề án đặt mục tiêu 100% cán bộ, công chức làm công tác cải cách hành chính được "
        "tiếp cận bài giảng, tài liệu và cơ sở dữ liệu về cải cách hành chính.",
        type="Quyết định",
        issuer="UBND tỉnh An Giang",
        year=2022,
        topics=("CCHC", "Đào tạo bồi dưỡng"),
    ),
    make_doc(
        "document:2",
        number="4599/QĐ-TTg",
        title="Quyết định 4599/QĐ-TTg về một việc khác",
        summary="Quy định về quản lý phí và lệ phí",
        body="Văn bản này không liên quan đến đề án bồi dưỡng.",
        type="Quyết định",
        issuer="Thủ tướng Chính phủ",
        year=2021,
        topics=("Phí, lệ phí",),
    ),
    make_doc(
        "document:3",
        number="1814/QĐ-UBND",
        title="Quyết định 1814/QĐ-UBND công bố danh mục thủ tục hành chính",
        summary="Công bố danh mục thủ tục hành chính được chuẩn hóa",
        body="Căn cứ Quyết định số 4599/QĐ-UBND của UBND tỉnh; Bộ phận Một cửa tiếp nhận hồ sơ.",
        type="Quyết định",
        issuer="UBND tỉnh An Giang",
        year=2023,
        topics=("TTHC", "Một cửa"),
    ),
    make_doc(
        "document:4",
        number="1610/QĐ-UBND",
        title="Quyết định 1610/QĐ-UBND về Trung tâm Phục vụ hành chính công",
        summary="Quy định chức năng của Trung tâm Phục vụ hành chính công tỉnh",
        body="Trung tâm Phục vụ hành chính công tiếp nhận, trả kết quả thủ tục hành chính.",
        type="Quyết định",
        issuer="UBND tỉnh Lai Châu",
        year=2025,
        topics=("Một cửa",),
    ),
    make_doc(
        "document:5",
        number="143/2025/QĐ-UBND",
        title="Quyết định 143/2025/QĐ-UBND ban hành quy chế",
        summary="Ban hành quy chế phối hợp giải quyết thủ tục hành chính",
        body="Quy chế phối hợp giữa các sở, ban, ngành trong giải quyết thủ tục hành chính.",
        type="Quyết định",
        issuer="UBND tỉnh Đắk Lắk",
        year=2025,
        topics=("TTHC",),
    ),
    make_doc(
        "document:6",
        number="143/2024/QĐ-UBND",
        title="Quyết định 143/2024/QĐ-UBND về công tác văn thư",
        summary="Công tác văn thư, lưu trữ",
        body="Quy định về công tác văn thư tại cơ quan.",
        type="Quyết định",
        issuer="UBND tỉnh Đắk Lắk",
        year=2024,
        topics=("Văn thư",),
    ),
    make_doc(
        "document:7",
        number="61/2018/NĐ-CP",
        title="Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông",
        summary="Về thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành "
        "chính",
        body="Nghị định quy định về Bộ phận Một cửa và Cổng Dịch vụ công quốc gia.",
        type="Nghị định",
        issuer="Chính phủ",
        year=2018,
        topics=("Một cửa", "TTHC"),
    ),
    make_doc(
        "document:8",
        number="08-NQ/TU",
        title="Nghị quyết 08-NQ/TU về nâng cao chỉ số PAPI",
        summary="Nâng cao chỉ số PAPI cấp xã",
        body="Phần II gồm 08 chỉ số nội dung, 25 nội dung thành phần và 58 chỉ số thành phần.",
        type="Nghị quyết",
        issuer="Tỉnh ủy Bắc Kạn",
        year=2021,
        topics=("PAPI",),
    ),
    make_doc(
        "lesson:1",
        title="Bài 1. Tổng quan về cải cách hành chính",
        body="Cải cách hành chính gồm cải cách thể chế, cải cách thủ tục hành chính, tổ chức "
        "bộ máy, công vụ, tài chính công và chính phủ số.",
        topics=("CCHC",),
    ),
    make_doc(
        "lesson:2",
        title="Bài 2. Hóa đơn điện tử và thủy lợi phí",
        body="Bài học về hoá đơn điện tử, khoẻ mạnh và thuỷ lợi; ví dụ minh họa.",
        topics=("Tài chính công",),
    ),
    make_doc(
        "question:1",
        title="Hồ sơ nộp ở Bộ phận Một cửa cấp xã được trả kết quả trong bao lâu?",
        body="Theo quy định, thời hạn trả kết quả ghi trên giấy tiếp nhận hồ sơ.",
        topics=("Một cửa",),
    ),
    make_doc(
        "question:2",
        title="Câu hỏi riêng của một học viên về chế độ công vụ",
        body="Nội dung chỉ người hỏi và người giải đáp được xem.",
        topics=("Công vụ",),
        audience=("user:7", "role:moderator"),
    ),
]

PUBLIC_KEYS = {doc.key for doc in CORPUS if PUBLIC in doc.audience}


def build_index(directory: Path, docs=CORPUS) -> SearchIndex:
    """Return a SearchIndex over docs in directory."""
    index = SearchIndex(directory)
    index.rebuild(docs)
    return index


def keys(results) -> list[str]:
    """Return the keys of a result page in rank order."""
    return [hit.key for hit in results.hits]
