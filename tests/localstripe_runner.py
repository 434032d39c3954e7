"""localstripe on loopback, its store in memory only: `python -m tests.localstripe_runner PORT`.

Out of the box it binds every interface and pickles its store to a fixed file under /tmp after
every write, so parallel runs would share (and clobber) one store.
"""

from __future__ import annotations

import sys

from aiohttp import web
from localstripe import resources

resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None

from localstripe.server import app  # noqa: E402  (after the patch above)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
