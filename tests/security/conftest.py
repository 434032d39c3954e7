from __future__ import annotations

import pytest

from tests.security.served_app import served_app


@pytest.fixture(scope="package")
def served_url():
    """One production server (oms_app/serve.py) for the security tests that need the whole
    stack: Reflex's own CORS layers, its socket, the pages of the build."""
    with served_app() as url:
        yield url
