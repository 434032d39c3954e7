"""`make run` compiles the frontend only when what the pages are made from changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from oms_app import frontend_build

API = "http://localhost:3000"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project tree with sources, runtime files and a stamped build."""
    files = {
        "oms_app/pages/orders.py": "PAGE = 1\n",
        "oms_app/orders/status.py": "DRAFT = 'draft'\n",
        "oms_app/launcher.py": "RUN = 'run'\n",
        "oms_app/demo/seed.py": "ORDERS = 20000\n",
        "oms_app/demo/accounts.py": "ADMIN = 'admin'\n",
        "state/orders.py": "STATE = 1\n",
        "components/table.py": "TABLE = 1\n",
        "assets/locales/en.json": "{}\n",
        "rxconfig.py": "config = 1\n",
        "data/redis/appendonly.aof": "*1\n",
        ".web/build/client/index.html": "<html></html>\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    digest = frontend_build.source_digest(api_url=API, root=tmp_path)
    frontend_build.stamp_path(tmp_path).write_text(digest + "\n")
    return tmp_path


def test_an_unchanged_tree_skips_the_build(project):
    assert frontend_build.build_is_current(api_url=API, root=project)


@pytest.mark.parametrize(
    "runtime_file",
    [
        "data/redis/appendonly.aof",
        "data/celerybeat-schedule",
        "oms_app/launcher.py",
        "oms_app/demo/seed.py",
        "oms_app/pages/__pycache__/orders.cpython-311.pyc",
    ],
)
def test_runtime_files_data_and_the_launcher_never_force_a_rebuild(project, runtime_file):
    (project / runtime_file).parent.mkdir(parents=True, exist_ok=True)
    (project / runtime_file).write_text("changed\n")
    assert frontend_build.build_is_current(api_url=API, root=project)


@pytest.mark.parametrize(
    "source",
    [
        "oms_app/pages/orders.py",
        "oms_app/orders/status.py",
        "state/orders.py",
        "components/table.py",
        "assets/locales/en.json",
        "rxconfig.py",
        "oms_app/demo/accounts.py",
        "state/new_screen.py",
    ],
)
def test_a_changed_source_rebuilds(project, source):
    (project / source).write_text("changed\n")
    assert not frontend_build.build_is_current(api_url=API, root=project)


def test_another_backend_address_or_a_missing_build_rebuilds(project):
    assert not frontend_build.build_is_current(api_url="http://localhost:3123", root=project)
    (project / ".web/build/client/index.html").unlink()
    assert not frontend_build.build_is_current(api_url=API, root=project)
