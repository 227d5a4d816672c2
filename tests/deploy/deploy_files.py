"""Readers for the files under deploy/: systemd units, the nginx site, the environment file."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
UNITS = DEPLOY / "systemd"
NGINX = DEPLOY / "nginx" / "cchc-learn.conf"
ENV_EXAMPLE = DEPLOY / "cchc-learn.env.example"
README = REPO / "README.md"


# --- systemd ---------------------------------------------------------------------------------


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections, each key with every value it was given (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in (UNITS / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        key, sep, value = line.partition("=")
        assert current is not None and sep, f"{name}: not a key=value line: {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def one(section: dict[str, list[str]], key: str) -> str:
    """The single value of a key."""
    values = section.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


# --- nginx -----------------------------------------------------------------------------------


@dataclass
class Directive:
    """One nginx directive; a block directive (server, location …) has children."""

    name: str
    args: list[str]
    children: list[Directive] | None = None
    line: int = 0

    def all(self, name: str) -> list[Directive]:
        return [d for d in self.children or [] if d.name == name]

    def first(self, name: str) -> Directive:
        found = self.all(name)
        assert found, f"no {name} in {self.name} {' '.join(self.args)}"
        return found[0]

    def walk(self):
        for child in self.children or []:
            yield child
            yield from child.walk()


@dataclass
class _Tokens:
    items: list[tuple[str, int]] = field(default_factory=list)
    position: int = 0


def _tokenize(text: str) -> list[tuple[str, int]]:
    tokens: list[tuple[str, int]] = []
    i, line = 0, 1
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch.isspace():
            i += 1
        elif ch == "#":
            while i < len(text) and text[i] != "\n":
                i += 1
        elif ch in "{};":
            tokens.append((ch, line))
            i += 1
        elif ch in "\"'":
            j, value = i + 1, []
            while text[j] != ch:
                if text[j] == "\\":
                    j += 1
                value.append(text[j])
                line += text[j] == "\n"
                j += 1
            tokens.append(("".join(value), line))
            i = j + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "{};":
                j += 1
            tokens.append((text[i:j], line))
            i = j
    return tokens


def nginx(text: str | None = None) -> Directive:
    """The nginx site as a tree of directives (the file's top level is the http context)."""
    tokens = _tokenize(NGINX.read_text(encoding="utf-8") if text is None else text)
    root = Directive("http", [], [])
    stack = [root]
    words: list[str] = []
    start = 0
    for token, line in tokens:
        if token == ";":
            assert words, f"line {line}: empty directive"
            stack[-1].children.append(Directive(words[0], words[1:], None, start))
            words = []
        elif token == "{":
            block = Directive(words[0], words[1:], [], start)
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif token == "}":
            assert not words and len(stack) > 1, f"line {line}: unbalanced braces"
            stack.pop()
        else:
            if not words:
                start = line
            words.append(token)
    assert len(stack) == 1 and not words, "the file ends inside a block or a directive"
    return root


def nginx_size(value: str) -> int:
    """An nginx size (`20m`, `512k`, `1g`, bytes) in bytes."""
    found = re.fullmatch(r"(\d+)([kKmMgG]?)", value)
    assert found, value
    return int(found.group(1)) * 1024 ** " kmg".index((found.group(2) or " ").lower())


# --- the environment file --------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One variable of the environment file: active or commented out (a default shown)."""

    name: str
    value: str | None
    """The value after shell-style unquoting; None for a setting that cannot be given here."""
    active: bool
    comment: str
    line: int


SETTING = re.compile(r"^(#?)([A-Z][A-Z0-9_]*)(=(.*)| \(instance/config\.py\))$")


def env_settings() -> list[Setting]:
    """Every variable of the environment file, with the comment line just above it."""
    found: list[Setting] = []
    previous = ""
    for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        match = SETTING.match(line)
        if match:
            raw = match.group(4)
            value = None if raw is None else "".join(shlex.split(raw)) if raw else ""
            found.append(Setting(match.group(2), value, not match.group(1),
                                 previous if previous.startswith("# ") else "", number))
        previous = line
    return found


def as_config(value: str):
    """A value as Flask's from_prefixed_env reads it: JSON when it parses, else the text."""
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


# --- README ----------------------------------------------------------------------------------


def readme_table(heading: str) -> list[list[str]]:
    """The rows (cells) of the first Markdown table after a README heading."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading):]
    rows, started = [], False
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif started:
            break
    return rows[1:]  # without the header row


def names_in(cell: str) -> list[str]:
    """The variable names of a table cell (`A` / `B` names two)."""
    return re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)
