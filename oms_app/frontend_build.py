"""The production frontend: compiled once, rebuilt only when what it is compiled from changed.

The build lands in `.web/build/client` with a stamp beside it holding a digest of the sources
(pages, components, states, assets, rxconfig), the Reflex version and the URL the browser is told
to reach the backend at. Reflex's own build empties `.web/build` first, so any other build (a
test's production server, `reflex export`) also removes the stamp and the next start rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

from oms_app.core.config import PROJECT_ROOT

# Everything the compiled pages can be made from: the app package (pages, routes, the enums and
# rules that fill menus and columns), the view and state folders, the static assets, the Reflex
# configuration. Only modules that never reach a page are left out, so editing them (or the
# demo data, or a migration) restarts `make run` without a rebuild.
SOURCE_FOLDERS = ("oms_app", "components", "state", "assets")
SOURCE_FILES = ("rxconfig.py", "requirements.txt")
SKIPPED_PARTS = {"__pycache__", "migrations", "external"}
RUNTIME_ONLY = {
    "oms_app/cli.py",
    "oms_app/frontend_build.py",
    "oms_app/launcher.py",
    "oms_app/runtime.py",
    "oms_app/serve.py",
    "oms_app/supervisor.py",
}
BUILD_DIR = Path(".web") / "build"
STAMP_NAME = "oms-sources.sha256"
DEMO_SEEDING = "oms_app/demo/"  # only its accounts module (the log-in page's list) reaches a page
DEMO_LOG_INS = "oms_app/demo/accounts.py"


def _is_source(relative: Path) -> bool:
    name = relative.as_posix()
    if SKIPPED_PARTS.intersection(relative.parts) or relative.suffix in (".pyc", ".pyo"):
        return False
    if name.startswith(DEMO_SEEDING):
        return name == DEMO_LOG_INS
    return name not in RUNTIME_ONLY


def _source_files(root: Path) -> Iterable[Path]:
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and _is_source(path.relative_to(root)):
                yield path
    for name in SOURCE_FILES:
        if (root / name).is_file():
            yield root / name


def source_digest(*, api_url: str, root: Path = PROJECT_ROOT) -> str:
    """Digest of the sources, the Reflex version and the backend URL baked into the build."""
    digest = hashlib.sha256()
    digest.update(f"reflex {metadata.version('reflex')}\napi {api_url}\n".encode())
    for path in _source_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def stamp_path(root: Path = PROJECT_ROOT) -> Path:
    return root / BUILD_DIR / STAMP_NAME


def build_is_current(*, api_url: str, root: Path = PROJECT_ROOT) -> bool:
    """Whether `.web/build` was made from the sources as they are now."""
    stamp = stamp_path(root)
    if not stamp.is_file() or not (root / BUILD_DIR / "client" / "index.html").is_file():
        return False
    return stamp.read_text().strip() == source_digest(api_url=api_url, root=root)


def build_frontend(*, api_url: str, env: Mapping[str, str], root: Path = PROJECT_ROOT) -> None:
    """Compile the pages and build the static frontend, then stamp the build."""
    digest = source_digest(api_url=api_url, root=root)
    reflex = str(Path(sys.executable).parent / "reflex")
    subprocess.run(
        [reflex, "export", "--frontend-only", "--no-zip", "--env", "prod"],
        cwd=root,
        env={**env, "REFLEX_API_URL": api_url},  # empty: the page's own origin (same_origin.py)
        check=True,
    )
    stamp_path(root).write_text(digest + "\n")


def ensure_frontend_build(*, api_url: str, env: Mapping[str, str]) -> bool:
    """Build the frontend unless the build is current; return whether it was built."""
    if build_is_current(api_url=api_url):
        return False
    build_frontend(api_url=api_url, env={**os.environ, **env})
    return True
