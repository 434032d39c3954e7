"""An administrator sees a red warning on the admin screens while Celery beat (or the worker) is
down, and it goes away once both beat again."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from components.liveness import REFRESH_MS
from oms_app.core import health
from tests.e2e.conftest import ADMIN_TOTP_SECRET
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.accounts import fresh_totp_code


def clear_beat_heartbeats(redis_client) -> None:
    for key in redis_client.scan_iter(f"{health.BEAT_KEY_PREFIX}*"):
        redis_client.delete(key)
    redis_client.delete(f"oms:heartbeats:{health.BEAT}")


def test_admin_screens_warn_while_beat_is_down_and_clear_once_it_beats(
    page: Page, oms_app_url, redis_client
):
    # given no beat runs (none does in the test run)
    clear_beat_heartbeats(redis_client)
    log_in(page, oms_app_url, "admin", code=fresh_totp_code(ADMIN_TOTP_SECRET))
    try:
        # when the admin opens the users screen, then the webhooks screen
        for path in ("/admin/users", "/admin/webhooks"):
            page.goto(f"{oms_app_url}{path}")
            # then each shows the warning, in the user's language
            expect(page.locator("#beat-down-banner")).to_be_visible(timeout=TIMEOUT)
            expect(page.locator("#beat-down-banner")).to_contain_text("Celery beat")
        # when beat and a worker beat again, the warnings go within one refresh
        health.write_heartbeat(health.BEAT, "e2e-beat")
        health.write_worker_heartbeat("e2e-worker")
        expect(page.locator("#beat-down-banner")).to_have_count(0, timeout=REFRESH_MS + 10_000)
        expect(page.locator("#worker-down-banner")).to_have_count(0)
    finally:
        clear_beat_heartbeats(redis_client)
        health.clear_heartbeat(health.WORKER, "e2e-worker")
