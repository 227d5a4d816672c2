"""A real SMTP sink (aiosmtpd on 127.0.0.1) and an application configured to send to it."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

SENDER = "CCHC Learn <no-reply@sonoivu.example.gov.vn>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Sink:
    """What the SMTP server received: one parsed message per delivery."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mail_env(monkeypatch, smtp_port):
    """Mail settings given the way a deployment gives them: CCHC_MAIL_* variables."""
    monkeypatch.setenv("CCHC_MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("CCHC_MAIL_PORT", str(smtp_port))
    monkeypatch.setenv("CCHC_MAIL_DEFAULT_SENDER", SENDER)
    monkeypatch.setenv("CCHC_MAIL_TIMEOUT", "5")
    monkeypatch.setenv("CCHC_SITE_URL", "https://hoc.sonoivu.example.gov.vn")


@pytest.fixture
def app(mail_env, app):
    """The test application, created after the mail settings are in the environment."""
    return app


@pytest.fixture
def start_sink(smtp_port):
    """Start the SMTP sink on the configured port (later than the app, if a test wants)."""
    controllers = []

    def start() -> Sink:
        sink = Sink()
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return sink

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def sink(start_sink) -> Sink:
    """An SMTP sink already listening."""
    return start_sink()
