"""Reading the event stream as a consumer group: what a pump read but never acknowledged first,
then what is new, in batches."""

from __future__ import annotations

from collections.abc import Iterator

from redis.exceptions import ResponseError

Entry = tuple[str, dict]


def ensure_group(client, stream: str, group: str, *, start: str = "$") -> None:
    """Create the consumer group (and the stream) unless it exists, reading from `start`: "$"
    for only what comes next, "0" for all the stream still holds."""
    try:
        client.xgroup_create(stream, group, id=start, mkstream=True)
    except ResponseError as err:
        if "BUSYGROUP" not in str(err):
            raise


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
