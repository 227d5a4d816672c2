"""deploy/: the units, the nginx site and the environment file agree with the app and README."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from deploy_files import (
    ENV_EXAMPLE,
    NGINX,
    REPO,
    UNITS,
    as_config,
    env_settings,
    names_in,
    nginx,
    nginx_size,
    one,
    readme_table,
    unit,
)

from cchc_learn import create_app
from cchc_learn.config import Defaults
from cchc_learn.extensions import db
from cchc_learn.notify import sending
from cchc_learn.xapi import outbox

INSTALL_ROOT = "/srv/cchc-learn"
UNIT_FILES = ("cchc-learn.service", "cchc-learn-tick.service", "cchc-learn-tick.timer")


@pytest.fixture
def default_app(tmp_path, monkeypatch):
    """The app with nothing configured but files in tmp_path (no CCHC_* from outside)."""
    for name in list(os.environ):
        if name.startswith("CCHC_"):
            monkeypatch.delenv(name)
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
    })
    yield application
    with application.app_context():
        db.engine.dispose()


def _env_active() -> dict[str, str]:
    return {s.name: s.value for s in env_settings() if s.active}


# --- the environment file against the README --------------------------------------------------


def test_the_env_file_names_every_readme_setting_and_nothing_else():
    settings = env_settings()
    in_file = [s.name for s in settings]
    assert len(in_file) == len(set(in_file)), "a variable is listed twice"
    app_settings = {n for row in readme_table("## Configuration") for n in names_in(row[0])}
    processes = {
        n for row in readme_table("Variables read by the processes") for n in names_in(row[0])
    }
    assert "CCHC_METRICS_TOKEN" in app_settings and "GUNICORN_WORKERS" in processes
    assert len(app_settings) >= 40
    assert {n for n in in_file if n.startswith("CCHC_")} == app_settings
    # The others are documented too; PROMETHEUS_MULTIPROC_DIR is the unit's, not this file's.
    assert {n for n in in_file if not n.startswith("CCHC_")} == processes - {
        "PROMETHEUS_MULTIPROC_DIR"
    }
    assert "Environment=PROMETHEUS_MULTIPROC_DIR=" in (UNITS / "cchc-learn.service").read_text()


def test_every_variable_has_a_comment_in_vietnamese_and_english():
    for setting in env_settings():
        assert setting.comment, f"line {setting.line}: {setting.name} has no comment above it"
        vietnamese, sep, english = setting.comment[2:].partition(" / ")
        assert sep and vietnamese.strip() and english.strip(), setting.name
        assert re.search(r"[à-ỹđ]", vietnamese.lower()), setting.name


def test_the_defaults_shown_are_the_apps_defaults(default_app):
    shown = [s for s in env_settings() if not s.active and s.name.startswith("CCHC_")]
    assert len(shown) >= 30
    for setting in shown:
        name = setting.name.removeprefix("CCHC_")
        actual = default_app.config[name]
        if name == "LOGIN_FAILURE_WINDOW":  # minutes in the file, a timedelta in the app
            assert actual == timedelta(minutes=as_config(setting.value))
            assert actual == Defaults.LOGIN_FAILURE_WINDOW
        elif setting.value == "":
            assert actual is None, name
        else:
            assert as_config(setting.value) == actual, name
    # The values set for production say in their comment what the default is.
    for setting in env_settings():
        if setting.active and setting.name.startswith("CCHC_"):
            assert "default" in setting.comment, setting.name


def test_the_file_reads_the_same_in_sh_and_starts_the_app(tmp_path, monkeypatch):
    """systemd's EnvironmentFile= and `sh -c '. file'` (the guide's wrapper) get equal values."""
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    # Every default uncommented, the two secrets filled, the database moved to a temporary file.
    text = re.sub(r"^#(CCHC_[A-Z0-9_]+=)", r"\1", text, flags=re.M)
    text = text.replace("CCHC_SECRET_KEY=\n", "CCHC_SECRET_KEY=" + "k" * 48 + "\n")
    text = text.replace("CCHC_METRICS_TOKEN=\n", "CCHC_METRICS_TOKEN=" + "t" * 40 + "\n")
    database = f"sqlite:///{tmp_path / 'app.sqlite'}"
    text = re.sub(r"^CCHC_SQLALCHEMY_DATABASE_URI=.*$", f"CCHC_SQLALCHEMY_DATABASE_URI={database}",
                  text, flags=re.M)  # fmt: skip
    for name in ("SEARCH_INDEX_DIR", "UPLOAD_DIR"):
        text = re.sub(rf"^CCHC_{name}=.*$", f"CCHC_{name}={tmp_path / name.lower()}", text,
                      flags=re.M)  # fmt: skip
    env_file = tmp_path / "cchc-learn.env"
    env_file.write_text(text, encoding="utf-8")
    shown = subprocess.run(
        ["/bin/sh", "-c", 'set -a; . "$1"; env -0', "sh", str(env_file)],
        capture_output=True, check=True, env={"PATH": os.environ["PATH"]},
    ).stdout.decode("utf-8")
    from_sh = dict(item.split("=", 1) for item in shown.split("\0") if "=" in item)
    expected = {s.name: s.value for s in env_settings() if s.value is not None}
    for name, value in expected.items():
        if name in ("CCHC_SECRET_KEY", "CCHC_METRICS_TOKEN", "CCHC_SQLALCHEMY_DATABASE_URI",
                    "CCHC_SEARCH_INDEX_DIR", "CCHC_UPLOAD_DIR"):
            continue
        assert from_sh.get(name) == value, name

    for name in list(os.environ):
        if name.startswith("CCHC_"):
            monkeypatch.delenv(name)
    for name, value in from_sh.items():
        if name.startswith("CCHC_"):
            monkeypatch.setenv(name, value)
    application = create_app()
    try:
        assert application.config["QA_TOPICS"][5] == "Một cửa"
        assert application.config["ORGANISATION_NAME"] == "Sở Nội vụ"
        assert application.config["HTTPS"] is True and application.config["PROXY_HOPS"] == 1
        assert application.config["LOGIN_RATE_LIMIT"] == "300 per minute"
        assert application.config["MAIL_SERVER"] == ""  # an empty value sends no e-mail
    finally:
        with application.app_context():
            db.engine.dispose()


# --- systemd ---------------------------------------------------------------------------------


def _units_under(tmp_path: Path, changes: dict[str, tuple[str, str]] | None = None) -> Path:
    """The units with the install root moved to tmp_path, which holds this venv's programs.

    `systemd-analyze verify` checks that each ExecStart program exists on this machine; the
    checkout is not installed at /srv/cchc-learn here, so the same programs are linked from a
    temporary root and only that prefix of the units changes.
    """
    root = tmp_path / "root"
    (root / ".venv/bin").mkdir(parents=True)
    for program in ("gunicorn", "cchc-learn"):
        os.symlink(Path(sys.executable).parent / program, root / ".venv/bin" / program)
    folder = tmp_path / "units"
    folder.mkdir()
    for name in UNIT_FILES:
        text = (UNITS / name).read_text(encoding="utf-8").replace(INSTALL_ROOT, str(root))
        if changes and name in changes:
            old, new = changes[name]
            assert old in text
            text = text.replace(old, new)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is required in CI (apt-get install systemd)")
        pytest.skip("systemd-analyze is not installed (set CI=1 to make this a failure)")
    return found


def _verify(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_systemd_analyze(), "verify", "--man=no", *UNIT_FILES],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )


def test_the_units_pass_systemd_analyze_verify_without_a_warning(tmp_path):
    # verify loads the files offline: it needs systemd installed, not running as PID 1.
    result = _verify(_units_under(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


@pytest.mark.parametrize("broken", [
    ("cchc-learn.service", ("ProtectSystem=strict", "ProtectSystem=strikt")),
    ("cchc-learn.service", ("NoNewPrivileges=yes", "NoNewPrivilege=yes")),
    ("cchc-learn-tick.timer", ("Persistent=true", "Persistent=sometimes")),
    ("cchc-learn-tick.service", ("/.venv/bin/cchc-learn tick", "/.venv/bin/cchc-lean tick")),
])
def test_the_same_check_catches_a_mistyped_unit(tmp_path, broken):
    name, change = broken
    result = _verify(_units_under(tmp_path, {name: change}))
    assert result.returncode != 0 or name in result.stdout + result.stderr


def test_the_hardening_takes_effect(tmp_path):
    folder = _units_under(tmp_path)
    for name in ("cchc-learn.service", "cchc-learn-tick.service"):
        result = subprocess.run(
            [_systemd_analyze(), "security", "--offline=true", "--no-pager", name],
            cwd=folder, capture_output=True, text=True, timeout=120,
        )
        level = re.search(rf"Overall exposure level for {re.escape(name)}: ([\d.]+)",
                          result.stdout)  # fmt: skip
        assert level, result.stdout + result.stderr
        # A unit without hardening scores 9.6 ("UNSAFE"); 2.0 and below is "OK".
        assert float(level.group(1)) <= 2.0, result.stdout


def test_the_units_agree_with_the_checkout_and_the_env_file():
    web, tick, timer = (unit(name) for name in UNIT_FILES)
    env = _env_active()
    for service in (web, tick):
        s = service["Service"]
        assert one(s, "User") == one(s, "Group") == "cchc"
        assert one(s, "WorkingDirectory") == INSTALL_ROOT
        assert one(s, "EnvironmentFile") == "/etc/cchc-learn/cchc-learn.env"
        assert one(s, "ProtectSystem") == "strict"
        assert one(s, "NoNewPrivileges") == one(s, "PrivateTmp") == "yes"
        writable = one(s, "ReadWritePaths").split()
        assert writable == [f"/var/lib/{one(s, 'StateDirectory')}"]
        # What the app writes (index, uploads, a SQLite file) lies in the writable folder.
        for name in ("CCHC_SEARCH_INDEX_DIR", "CCHC_UPLOAD_DIR"):
            assert Path(env[name]).is_relative_to(writable[0]), name
        assert one(s, "ExecStart").startswith(f"{INSTALL_ROOT}/.venv/bin/")
    assert Path(env["CCHC_CONTENT_DIR"]) == Path(INSTALL_ROOT) / "content"
    assert (REPO / "content").is_dir()

    s = web["Service"]
    program, *args = one(s, "ExecStart").split()
    assert program.endswith("/gunicorn") and args[-1] == "wsgi:app" and (REPO / "wsgi.py").exists()
    config = Path(args[args.index("--config") + 1])
    assert config == Path(INSTALL_ROOT) / "deploy/gunicorn.conf.py"
    assert (REPO / config.relative_to(INSTALL_ROOT)).is_file()
    metrics_dir = [v for v in s["Environment"] if v.startswith("PROMETHEUS_MULTIPROC_DIR=")]
    assert metrics_dir == [f"PROMETHEUS_MULTIPROC_DIR=/run/{one(s, 'RuntimeDirectory')}/metrics"]
    assert one(s, "Type") == "notify"  # gunicorn tells systemd when it is ready

    s = tick["Service"]
    assert one(s, "Type") == "oneshot"
    assert one(s, "ExecStart") == f"{INSTALL_ROOT}/.venv/bin/cchc-learn tick"
    minutes = int(re.fullmatch(r"(\d+)min", one(s, "TimeoutStartSec")).group(1))
    # A hung run is stopped before its claims lapse and another host may take the rows.
    assert timedelta(minutes=minutes) < min(sending.LEASE, outbox.LEASE)

    t = timer["Timer"]
    assert one(t, "OnCalendar") == "minutely" and one(t, "Persistent") == "true"
    assert one(t, "Unit") == "cchc-learn-tick.service"
    assert one(timer["Install"], "WantedBy") == "timers.target"


# --- nginx -----------------------------------------------------------------------------------


def _servers():
    servers = nginx().all("server")
    public = [s for s in servers if any(d.args[0].startswith("443") for d in s.all("listen"))
              and s.first("server_name").args != ["_"]]  # fmt: skip
    assert len(public) == 1
    return servers, public[0]


def _location(server, *args):
    found = [d for d in server.all("location") if d.args == list(args)]
    assert len(found) == 1, args
    return found[0]


def test_the_static_alias_is_the_packages_static_folder(default_app):
    _, site = _servers()
    static = _location(site, "/static/")
    alias = static.first("alias").args[0]
    assert alias.startswith(INSTALL_ROOT + "/") and alias.endswith("/")
    folder = REPO / alias.removeprefix(INSTALL_ROOT + "/")
    assert folder.resolve() == Path(default_app.static_folder).resolve()
    assert default_app.static_url_path == "/static"
    # Every file a page links to is where nginx looks for it.
    with default_app.test_request_context():
        page = default_app.test_client().get("/auth/login").get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="/static/([^"?]+)\?v=[0-9a-f]{12}"', page)
    assert {"css/app.css", "js/app.js", "img/favicon.svg"} <= set(linked)
    for name in linked:
        assert (folder / name).is_file(), name
    # Versioned URLs are cached a year and immutable, others an hour.
    cache = nginx().first("map")
    assert cache.args == ["$arg_v", "$cchc_static_cache"]
    rules = {d.name: d.args[0] for d in cache.children}
    assert rules == {"": "public, max-age=3600",
                     "default": "public, max-age=31536000, immutable"}  # fmt: skip
    assert ["Cache-Control", "$cchc_static_cache", "always"] in [
        d.args for d in static.all("add_header")
    ]


def test_the_body_limit_is_the_apps_and_says_so_in_vietnamese(default_app):
    _, site = _servers()
    cap = default_app.config["MAX_CONTENT_LENGTH"]
    assert nginx_size(site.first("client_max_body_size").args[0]) == cap
    too_large = _location(site, "@too_large")
    status, message = too_large.first("return").args
    assert status == "413" and f"({cap // (1024 * 1024)} MB)" in message
    assert "vượt quá dung lượng cho phép" in message
    assert site.first("error_page").args == ["413", "@too_large"]


def test_http_is_redirected_and_tls_is_modern():
    servers, site = _servers()
    plain = [s for s in servers if s.first("listen").args == ["80"]]
    assert len(plain) == 1
    assert plain[0].first("server_name").args == site.first("server_name").args
    redirect = _location(plain[0], "/").first("return").args
    assert redirect == ["301", "https://$host$request_uri"]
    assert site.first("ssl_protocols").args == ["TLSv1.2", "TLSv1.3"]
    ciphers = site.first("ssl_ciphers").args[0].split(":")
    assert all(("GCM" in c or "CHACHA20" in c) and c.startswith("ECDHE") for c in ciphers)
    assert site.first("ssl_session_tickets").args == ["off"]
    for key in ("ssl_certificate", "ssl_certificate_key"):
        assert site.first(key).args[0].startswith("/etc/ssl/cchc-learn/")
    # Unknown host names are closed: the X-Forwarded-Host the app trusts is always ours.
    catch_all = [s for s in servers if s.first("server_name").args == ["_"]
                 and any("default_server" in d.args for d in s.all("listen"))]  # fmt: skip
    assert len(catch_all) == 1 and catch_all[0].first("return").args == ["444"]


def test_the_proxy_sends_what_proxyfix_trusts_to_the_gunicorn_of_the_env_file():
    _, site = _servers()
    env = _env_active()
    app_location = _location(site, "/")
    assert app_location.first("proxy_pass").args == [f"http://{env['GUNICORN_BIND']}"]
    headers = {d.args[0]: d.args[1] for d in app_location.all("proxy_set_header")}
    assert headers == {
        "Host": "$host",
        "X-Forwarded-For": "$proxy_add_x_forwarded_for",
        "X-Forwarded-Proto": "$scheme",
        "X-Forwarded-Host": "$host",
    }
    assert env["CCHC_PROXY_HOPS"] == "1"  # one proxy: ProxyFix(x_for=1, x_proto=1, x_host=1)
    read_timeout = int(app_location.first("proxy_read_timeout").args[0].removesuffix("s"))
    assert read_timeout > int(env["GUNICORN_TIMEOUT"])
    assert not app_location.all("gzip")  # pages carry CSRF tokens


def test_metrics_are_not_passed_through_from_outside():
    servers, site = _servers()
    assert _location(site, "=", "/metrics").first("return").args == ["404"]
    proxied = [s for s in servers if any(d.name == "proxy_pass" for d in s.walk())]
    internal = [s for s in proxied if s is not site]
    assert len(internal) == 1
    inside = internal[0]
    assert not any(d.args[0].startswith(("80", "443")) for d in inside.all("listen"))
    rules = [(d.name, d.args[0]) for d in inside.children if d.name in ("allow", "deny")]
    assert rules[-1] == ("deny", "all") and ("allow", "127.0.0.1") in rules
    passes = [loc.args for loc in inside.all("location") if loc.all("proxy_pass")]
    assert passes == [["=", "/metrics"]]
    assert _location(inside, "/").first("return").args == ["404"]


def test_what_nginx_answers_itself_carries_the_apps_security_headers(default_app):
    secure = create_app({**default_app.config, "HTTPS": True})
    try:
        response = secure.test_client().get("/auth/login")
    finally:
        with secure.app_context():
            db.engine.dispose()
    names = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
             "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy",
             "Strict-Transport-Security")  # fmt: skip
    expected = {name: response.headers[name] for name in names}
    _, site = _servers()
    for where in ("/static/", "@too_large", "@unavailable"):
        location = _location(site, where)
        set_here = {d.args[0]: d.args[1] for d in location.all("add_header")}
        assert {name: set_here.get(name) for name in names} == expected, where
        assert all(d.args[-1] == "always" for d in location.all("add_header")), where


def test_the_site_loads_nothing_from_outside_and_hides_the_version():
    text = NGINX.read_text(encoding="utf-8")
    directives = list(nginx().walk())
    urls = [a for d in directives for a in d.args if re.search(r"https?://", a)]
    assert sorted(set(urls)) == ["http://127.0.0.1:8000", "https://$host$request_uri"]
    for server in nginx().all("server"):
        assert server.first("server_tokens").args == ["off"]
    assert "cchc.example.gov.vn" in text and "192.0.2.10" in text  # the placeholders named
    assert text.count("{") == text.count("}")


def test_the_nginx_reader_sees_a_broken_file():
    with pytest.raises(AssertionError):
        nginx("server { listen 80; location / { return 404; }")
    with pytest.raises(AssertionError):
        nginx("server { listen 80 }")
