"""Serve the already built app as `reflex run --env prod --single-port` does after its build.

`reflex run --env prod` rebuilds the frontend at every start; hosts of one deployment serve one
build (made by `reflex export --frontend-only --no-zip`), so each host starts the same production
backend (granian, the compiled frontend mounted on the same port) without building again.
Expects REFLEX_ENV_MODE=prod and REFLEX_SKIP_COMPILE=true in its environment.

    python -m tests.hosts.serve_built HOST PORT
"""

from __future__ import annotations

import sys

from reflex.utils import exec as reflex_exec
from reflex_base import constants


def main(host: str, port: int) -> None:
    reflex_exec.run_backend_prod(
        host, port, constants.LogLevel.WARNING, mount_frontend_compiled_app=True
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
