"""CCHC_LOGIN_FAILURE_WINDOW: minutes from the environment, a timedelta from instance config."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import base_config

from cchc_learn import create_app


@pytest.mark.parametrize(("given", "window"), [
    ("30", timedelta(minutes=30)),
    ("1.5", timedelta(seconds=90)),
    ("10080", timedelta(weeks=1)),
])  # fmt: skip
def test_the_window_is_read_in_minutes_from_the_environment(tmp_path, monkeypatch, given, window):
    monkeypatch.setenv("CCHC_LOGIN_FAILURE_WINDOW", given)
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'a.sqlite'}"))
    assert app.config["LOGIN_FAILURE_WINDOW"] == window


def test_a_timedelta_from_instance_config_is_kept(tmp_path):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'a.sqlite'}")
    app = create_app({**config, "LOGIN_FAILURE_WINDOW": timedelta(hours=2)})
    assert app.config["LOGIN_FAILURE_WINDOW"] == timedelta(hours=2)


@pytest.mark.parametrize("given", ["0", "-5", "10081", "true", '"15 phút"', "null", "[15]"])
def test_a_window_nobody_meant_stops_the_start_and_names_the_setting(tmp_path, monkeypatch,
                                                                     given):  # fmt: skip
    monkeypatch.setenv("CCHC_LOGIN_FAILURE_WINDOW", given)
    with pytest.raises(ValueError, match="CCHC_LOGIN_FAILURE_WINDOW must be a number of minutes"):
        create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'a.sqlite'}"))
