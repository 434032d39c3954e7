"""The production web server of `make run`: the prebuilt frontend and the backend on one port.

`reflex run --env prod` compiles and rebuilds the frontend at every start; this serves the build
the launcher made (see frontend_build) as it is: granian, no file watcher, no compile.

The backend app is set up once, in granian's main process, before the workers fork from it: the
workers share its memory instead of each building the same app again (Reflex only imports the
app module before forking).

    python -m oms_app.serve --port 3000
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from oms_app.core.config import PROJECT_ROOT, get_settings

APP_TARGET = "oms_app.serve:prebuilt_backend"
_PREBUILT: list = []  # the ASGI app built before forking (this module, imported by name)


def prebuilt_backend():
    """Granian's app factory in each worker: the app the main process built before forking."""
    if not _PREBUILT:  # a spawned (not forked) worker builds its own
        from reflex.utils import prerequisites

        _PREBUILT.append(prerequisites.get_app().app())
    return _PREBUILT[0]


def serve_backend(*, port: int, host: str, folder: Path, mount_frontend: bool) -> None:
    """Serve the Reflex app in `folder` (production mode, no compile) until stopped."""
    os.chdir(folder)
    from reflex.utils import exec as reflex_exec
    from reflex.utils import prerequisites
    from reflex_base.constants import Env, LogLevel
    from reflex_base.environment import environment

    # Set through Reflex (some are internal names) so its workers inherit them: production mode,
    # never write .web, serve the build beside the backend.
    environment.REFLEX_ENV_MODE.set(Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    environment.REFLEX_MOUNT_FRONTEND_COMPILED_APP.set(mount_frontend)
    # OMS_WEB_WORKERS (one per core by default); Reflex's own guess is 2 x cores + 1, and each
    # worker holds the whole app. GRANIAN_WORKERS, Reflex's lower-level knob, still wins.
    os.environ.setdefault("GRANIAN_WORKERS", str(get_settings().web_workers))

    sys.path.insert(0, str(folder))
    this = sys.modules.get("oms_app.serve") or __import__("oms_app.serve", fromlist=["_"])
    this._PREBUILT[:] = [prerequisites.get_app().app()]
    reflex_exec.run_granian_backend_prod(host, port, LogLevel.INFO, app_target=APP_TARGET)


def serve(*, port: int, host: str = "0.0.0.0") -> None:
    """Serve the compiled frontend and the backend on `port` until stopped."""
    serve_backend(port=port, host=host, folder=PROJECT_ROOT, mount_frontend=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oms_app.serve")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="0.0.0.0")
    args = parser.parse_args(argv)
    serve(port=args.port, host=args.host)
    return 0


if __name__ == "__main__":
    sys.exit(main())
