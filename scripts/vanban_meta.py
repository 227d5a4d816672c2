"""Derive knowledge-base metadata (slug, issuer, summary, topics) from the corpus index."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from vanban_markdown import clean_text

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh",
    "Huế", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn",
    "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

# Proper names that keep their capitals inside a sentence-case summary; longer names first.
PROPER_NAMES = (
    "Văn phòng Ủy ban nhân dân", "Văn phòng UBND", "Ủy ban nhân dân", "Uỷ ban nhân dân",
    "Hội đồng nhân dân", "Bộ trưởng", "Thủ tướng Chính phủ",
    "Văn phòng Chính phủ", "Chính phủ", "Quốc hội", "Bộ Chính trị", "Trung ương", "Việt Nam",
    "Mặt trận Tổ quốc Việt Nam", "Ngân hàng Chính sách xã hội", "Ban Chỉ đạo", "Đảng",
    "Trung tâm Phục vụ hành chính công", "Ủy ban Kinh tế và Tài chính",
    "Ban Quản lý các khu công nghiệp", "Bộ Chỉ huy Quân sự", "Cổng Dịch vụ công quốc gia",
    "Chủ tịch", "Chánh Văn phòng", "Giám đốc", "Phó Thủ tướng", "Trưởng Ban",
)  # fmt: skip

# Names of ministries and provincial departments: "Sở"/"Bộ" followed by one of these.
AGENCY_FIELDS = (
    "Khoa học và Công nghệ", "Nông nghiệp và Môi trường", "Văn hóa, Thể thao và Du lịch",
    "Văn hóa và Thể thao", "Giáo dục và Đào tạo", "Dân tộc và Tôn giáo", "Tài chính", "Nội vụ",
    "Tư pháp", "Y tế", "Công Thương", "Xây dựng", "Công an", "Quốc phòng", "Ngoại giao",
)  # fmt: skip

DOCUMENT_TYPES = (
    "quyết định", "nghị quyết", "nghị định", "thông tư", "chỉ thị", "kế hoạch", "công văn",
    "thông báo",
)  # fmt: skip

_ROMAN = re.compile(r"^[IVXLC]+$")
_ROMAN_CONTEXT = {"khóa", "khoá", "chương", "phần", "mục", "đợt", "quý", "loại", "nhóm", "lục"}
_ROMAN_WORDS = {"VI", "XI", "LI", "MI", "DI", "CI"}
_SYLLABLE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$"
)
_AUTHORITY_SUFFIX = re.compile(
    r"(?<!CỦA)\s+(CHỦ TỊCH (ỦY|UỶ) BAN NHÂN DÂN (TỈNH|THÀNH PHỐ)[^,;()]*"
    r"|GIÁM ĐỐC TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG[^,;()]*)$"
)
_LOCAL_BODY = re.compile(
    r"^(CHỦ TỊCH )?(ỦY BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|NHÂN DÂN) "
    r"(TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU) (.+)$"
)
_CHILD_UNIT = re.compile(r"^(.*?) (TRUNG TÂM .+|CỤC .+|SỞ .+|VĂN PHÒNG .+|BAN .+)$")
_ONE_STOP_CENTRE = "Trung tâm Phục vụ hành chính công"
_NATIONAL = {
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
    "CHÍNH PHỦ": "Chính phủ",
    "VĂN PHÒNG CHÍNH PHỦ": "Văn phòng Chính phủ",
    "QUỐC HỘI": "Quốc hội",
}


_COMBINING = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Return lower-case text with Vietnamese diacritics removed and "đ" folded to "d"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _COMBINING.sub("", text).lower()


def slugify(text: str) -> str:
    """Fold text to ASCII and join its alphanumeric runs with "-"."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))


def _capitalize(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def title_case(text: str) -> str:
    """Capitalise every word (for place names such as "Hồ Chí Minh")."""
    return " ".join(_capitalize(w) for w in text.split())


def _agency_name(text: str) -> str:
    """Format a ministry or department name: "KHOA HỌC VÀ CÔNG NGHỆ" → "Khoa học và Công nghệ"."""
    for known in AGENCY_FIELDS:
        if fold(known) == fold(text):
            return known
    parts = re.split(r"(, | VÀ )", text.upper())
    return "".join(p.lower() if p in {", ", " VÀ "} else _capitalize(p) for p in parts)


def _unit_name(text: str) -> str:
    words = text.split()
    head, rest = words[0], " ".join(words[1:])
    if head in {"BỘ", "SỞ"}:
        return f"{_capitalize(head)} {_agency_name(rest)}"
    if head in {"CỤC", "VỤ"}:
        return f"{_capitalize(head)} {_agency_name(rest)}"
    if text.startswith(_ONE_STOP_CENTRE.upper()):
        return _ONE_STOP_CENTRE + sentence_case(text[len(_ONE_STOP_CENTRE) :]).lower()
    return sentence_case(text)


def issuer_name(raw: str) -> str:
    """Return a readable issuer name from the upper-case header of a document."""
    text = clean_text(raw).upper().replace("UỶ", "ỦY")
    if text in _NATIONAL:
        return _NATIONAL[text]
    local = _LOCAL_BODY.match(text)
    if local:
        chair, body, level, place = local.groups()
        child = _CHILD_UNIT.match(place)
        if child and child.group(1):
            place, unit = child.groups()
            prefix = "UBND" if body in {"ỦY BAN NHÂN DÂN", "UBND"} else "HĐND"
            return f"{_unit_name(unit)} ({prefix} {level.lower()} {title_case(place)})"
        short = "HĐND" if body in {"HỘI ĐỒNG NHÂN DÂN", "HĐND"} else "UBND"
        name = f"{short} {level.lower()} {title_case(place)}"
        return f"Chủ tịch {name}" if chair or body == "NHÂN DÂN" else name
    if text.startswith("BỘ "):
        child = re.match(r"^BỘ (.+?) ((CỤC|TỔNG CỤC|VỤ) .+)$", text)
        if child:
            return f"{_unit_name(child.group(2))} (Bộ {_agency_name(child.group(1))})"
        return f"Bộ {_agency_name(text[3:])}"
    return sentence_case(text)


def issuer_slug(issuer: str) -> str:
    """Return a short slug for an issuer: its place name when it has one."""
    match = re.search(r"(?:tỉnh|thành phố) ([^()]+?)\)?$", issuer)
    if match and not re.search(r"\(", issuer):
        return slugify(match.group(1))
    return slugify(issuer)


def clean_title(trich_yeu: str) -> str:
    """Strip the issuing authority that some titles carry at their end."""
    return _AUTHORITY_SUFFIX.sub("", clean_text(trich_yeu))


def _is_abbreviation(word: str) -> bool:
    letters = "".join(ch for ch in word if ch.isalpha())
    if len(letters) < 2 or not letters.isupper():
        return False
    folded = fold(letters)
    if not re.search(r"[aeiouy]", folded):
        return True
    return not _SYLLABLE.match(folded) and len(letters) <= 5


def _lower_word(word: str, previous: str) -> str:
    if any(ch.isdigit() for ch in word):
        return word
    if _ROMAN.match(word) and (
        previous in _ROMAN_CONTEXT or (len(word) >= 2 and word not in _ROMAN_WORDS)
    ):
        return word
    pieces = re.split(r"([/&-])", word)
    return "".join(p if _is_abbreviation(p) else p.lower() for p in pieces)


def _name_rules() -> list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]:
    """Build the substitutions that put the capitals back into proper names."""

    def rule(pattern: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)

    def agency(proper: str) -> Callable[[re.Match[str]], str]:
        return lambda m: f"{_capitalize(m.group(1))} {proper}"

    def place(proper: str) -> Callable[[re.Match[str]], str]:
        return lambda m: f"{m.group(1).lower()} {proper}"

    rules: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = []
    rules += [(rule(re.escape(name.lower())), name) for name in PROPER_NAMES]
    rules += [(rule(rf"(sở|bộ) {re.escape(f.lower())}"), agency(f)) for f in AGENCY_FIELDS]
    rules += [
        (rule(rf"(tỉnh|thành phố|tp\.?) {re.escape(p.lower())}"), place(p)) for p in PROVINCES
    ]
    rules += [(rule(rf"{kind}(?= (số|\d))"), _capitalize(kind)) for kind in DOCUMENT_TYPES]
    rules.append(
        (re.compile(r"(dự án) luật (\w)"), lambda m: f"{m.group(1)} Luật {m.group(2).upper()}")
    )
    # People are named right after their title: "Phó Thủ tướng Chính phủ Hồ Quốc Dũng".
    rules.append(
        (
            re.compile(r"(Thủ tướng Chính phủ) (\w+ \w+ \w+)"),
            lambda m: f"{m.group(1)} {title_case(m.group(2))}",
        )
    )
    return rules


_NAME_RULES = _name_rules()


def _restore_names(text: str) -> str:
    for pattern, replacement in _NAME_RULES:
        text = pattern.sub(replacement, text)
    return text


def sentence_case(text: str) -> str:
    """Turn an upper-case title into a Vietnamese sentence-case summary."""
    text = clean_text(text)
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) / len(letters) < 0.6:
        return text[:1].upper() + text[1:]
    out: list[str] = []
    previous = ""
    for token in re.split(r"(\s+|[,;:()\[\]\"“”])", text):
        if token and not token.isspace() and any(ch.isalpha() for ch in token):
            out.append(_lower_word(token, previous))
            previous = token.lower()
        else:
            out.append(token)
    result = _restore_names("".join(out))
    return result[:1].upper() + result[1:]


def summary_from_title(trich_yeu: str) -> str:
    """Return the summary for front matter: the title in sentence case, no final period."""
    return sentence_case(clean_title(trich_yeu)).rstrip(" .")


def assign_slugs(records: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Map each (id, number, issuer) to a unique slug; shared numbers get the issuer appended."""
    records = sorted(records)
    base = {doc_id: slugify(number) or doc_id for doc_id, number, _ in records}
    counts = Counter(base.values())
    slugs: dict[str, str] = {}
    for doc_id, _, issuer in records:
        slug = base[doc_id]
        if counts[slug] > 1:
            slug = f"{slug}-{issuer_slug(issuer)}"
        slugs[doc_id] = slug
    by_slug: defaultdict[str, list[str]] = defaultdict(list)
    for doc_id, slug in slugs.items():
        by_slug[slug].append(doc_id)
    for slug, ids in by_slug.items():
        if len(ids) > 1:
            for doc_id in ids:
                slugs[doc_id] = f"{slug}-{doc_id[:6]}"
    return slugs
