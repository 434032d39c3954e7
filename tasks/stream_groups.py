"""Reading the event stream as a consumer group: what a pump read but never acknowledged first,
then what is new, in batches."""

from __future__ import annotations

from collections.abc import Iterator

from oms_app.core.events import ensure_consumer_groups

Entry = tuple[str, dict]


def ensure_group(client, stream: str) -> None:
    """Create the stream and every consumer group unless they exist (core.events keeps the one
    list of groups, and where each starts)."""
    ensure_consumer_groups(client, stream)


def read_batches(
    client, stream: str, group: str, consumer: str, *, batch: int, max_batches: int
) -> Iterator[list[Entry]]:
    """Batches of entries: "0" first (this consumer's unacknowledged ones), then ">" (new).

    The caller acknowledges each batch before asking for the next; at most `max_batches` of
    each kind per call, so one pump cannot run forever behind a busy stream.
    """
    for start in ("0", ">"):
        for _ in range(max_batches):
            read = client.xreadgroup(group, consumer, {stream: start}, count=batch)
            entries = [entry for _stream, rows in read or [] for entry in rows]
            if entries:
                yield entries
            if len(entries) < batch:
                break
