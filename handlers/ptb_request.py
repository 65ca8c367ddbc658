"""python-telegram-bot's networking on aiohttp instead of httpx: its documented extension point
(`telegram.request.BaseRequest`). httpx cost this adapter more than our own work per update: its pool
checks every idle connection's socket on each request, and httpcore imports a module that is not
installed on every call (bench.handling --adapter ptb --calls). aiohttp is here already for aiogram."""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """Requests to the Bot API over one aiohttp session with at most `connections` connections."""

    def __init__(
        self,
        connections: int = 8,
        read_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 30.0,
    ) -> None:
        self._connections = connections
        self._read, self._connect, self._pool = read_timeout, connect_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call does not give one."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call: its status and body, or TimedOut / NetworkError as python-telegram-bot expects."""
        if self._session is None or self._session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        # aiohttp's `connect` includes waiting for a free connection of the pool.
        waiting = None if connect is None or pool is None else connect + pool
        timeout = aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout) as resp:
                return resp.status, await resp.read()
        except TimeoutError as err:  # asyncio's, which aiohttp's timeouts are
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _body(request_data: RequestData | None) -> dict[str, str] | None:
    """The parameters as a form, as python-telegram-bot's own httpx request sends them. The bot sends no
    files (no photos, no certificate for its webhook): a call with one is refused, not sent without it."""
    if request_data is None:
        return None
    if request_data.contains_files:
        raise NetworkError("this bot sends no files")
    return request_data.json_parameters
