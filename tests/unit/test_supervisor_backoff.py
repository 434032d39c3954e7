"""The supervisor's restart policy: doubling delays with a cap, reset after a stable run."""

from __future__ import annotations

from oms_app.supervisor import Backoff


def test_the_delay_doubles_from_one_second_up_to_a_minute():
    backoff = Backoff()
    assert [backoff.delay(failures=n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_a_child_that_died_at_once_again_counts_one_failure_more():
    assert Backoff().failures_after_exit(failures=3, uptime=2.0) == 4


def test_a_child_that_stayed_up_a_while_starts_again_from_the_first_delay():
    backoff = Backoff(stable_after=60)
    failures = backoff.failures_after_exit(failures=6, uptime=61.0)
    assert failures == 1 and backoff.delay(failures=failures) == 1


def test_no_failure_means_no_wait():
    assert Backoff().delay(failures=0) == 0
