"""How many web workers `make run` starts, and where its pages find their backend."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reflex_base import constants

from oms_app import launcher, same_origin
from oms_app.core.config import get_settings, reset_settings_cache

REFLEX_STATE_JS = (
    Path(constants.Templates.Dirs.WEB_TEMPLATE) / same_origin.STATE_JS
)  # the template Reflex copies into .web


@pytest.fixture
def settings_env(monkeypatch):
    monkeypatch.delenv("OMS_WEB_WORKERS", raising=False)
    monkeypatch.delenv("GRANIAN_WORKERS", raising=False)
    reset_settings_cache()
    yield monkeypatch
    reset_settings_cache()


def test_web_workers_default_to_the_machines_cores(settings_env):
    assert get_settings().web_workers == (os.cpu_count() or 1)
    assert launcher.web_env(launcher.RUN)["GRANIAN_WORKERS"] == str(os.cpu_count() or 1)


def test_oms_web_workers_sets_the_worker_count_of_make_run_and_run_backend(settings_env):
    settings_env.setenv("OMS_WEB_WORKERS", "3")
    reset_settings_cache()
    assert launcher.web_env(launcher.RUN)["GRANIAN_WORKERS"] == "3"
    assert launcher.web_env(launcher.BACKEND)["GRANIAN_WORKERS"] == "3"


def test_zero_web_workers_is_refused_with_the_settings_name(settings_env):
    settings_env.setenv("OMS_WEB_WORKERS", "0")
    reset_settings_cache()
    with pytest.raises(ValueError, match="web_workers"):
        get_settings()


def test_a_production_build_without_an_api_url_reaches_the_pages_own_origin(monkeypatch):
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    monkeypatch.setenv("REFLEX_ENV_MODE", constants.Env.PROD.value)
    assert same_origin.builds_for_same_origin()
    assert same_origin.endpoint_paths()["EVENT"] == "/_event"
    assert same_origin.backend_origin() == ""
    # a backend named explicitly (another origin) keeps its absolute address
    monkeypatch.setenv("REFLEX_API_URL", "https://api.example.cn")
    assert not same_origin.builds_for_same_origin()


def test_make_dev_keeps_the_backends_own_port(monkeypatch):
    monkeypatch.delenv("REFLEX_API_URL", raising=False)
    monkeypatch.setenv("REFLEX_ENV_MODE", constants.Env.DEV.value)
    assert not same_origin.builds_for_same_origin()
    assert same_origin.backend_origin().startswith("http://")


def test_reflexs_get_backend_url_learns_to_resolve_a_path_once():
    template = REFLEX_STATE_JS.read_text()
    patched = same_origin.resolve_paths_against_the_page(template)
    assert patched.count(same_origin.MARKER) == 1
    assert same_origin.resolve_paths_against_the_page(patched) == patched
    with pytest.raises(RuntimeError, match="getBackendURL changed"):
        same_origin.resolve_paths_against_the_page("export const getBackendURL = () => {};")
