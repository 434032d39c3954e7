"""A TCP forwarder on its own thread: the machine's PostgreSQL and Redis listen on 127.0.0.1
only, so the hosts reach them through a port on the root side of their veth links."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Sequence


class Forwarder:
    """Forward (listen port -> target) on the given addresses until `stop()`."""

    def __init__(self, listen: Sequence[str], routes: dict[int, tuple[str, int]]) -> None:
        self.listen, self.routes = list(listen), routes
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._servers: list[asyncio.Server] = []
        self._pipes: set[asyncio.Task] = set()
        self._thread = threading.Thread(target=self._run, name="hosts-forwarder", daemon=True)

    def start(self) -> Forwarder:
        self._thread.start()
        self._ready.wait(10)
        if self._error:
            raise self._error
        return self

    def stop(self) -> None:
        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._open())
        except BaseException as err:  # reported by start()
            self._error = err
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _open(self) -> None:
        for port, target in self.routes.items():
            server = await asyncio.start_server(
                lambda r, w, t=target: self._serve(r, w, t), host=self.listen, port=port
            )
            self._servers.append(server)

    async def _close(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _serve(self, reader, writer, target: tuple[str, int]) -> None:
        self.connections += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*target)
        except OSError:
            writer.close()
            return
        pipes = [
            asyncio.ensure_future(self._pipe(reader, up_writer)),
            asyncio.ensure_future(self._pipe(up_reader, writer)),
        ]
        self._pipes.update(pipes)
        try:
            # Either side closing (a host killed, a server going away) closes both.
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pipes:
                task.cancel()
                self._pipes.discard(task)
            for end in (writer, up_writer):
                with contextlib.suppress(Exception):
                    end.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
