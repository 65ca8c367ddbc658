"""A load balancer in front of webhook instances, as a region runs them: one public port, each delivery
handed to the next instance in turn. Used by the scale-out test and by bench/throughput.py."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable

from aiohttp import ClientSession, web

from bot.runtime.webhook import SECRET_HEADER
from tests.net import free_port, listening


class RoundRobin:
    """Each delivery goes to the next instance; `served` counts what each one answered."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = itertools.cycle(range(len(ports)))
        self.served = [0] * len(ports)
        self.url = ""
        self._http: ClientSession | None = None
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Listen on a free loopback port; return the webhook URL to give Telegram."""
        app = web.Application()
        app.router.add_post("/webhook", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        front = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", front).start()
        self._http = ClientSession()
        self.url = f"http://127.0.0.1:{front}/webhook"
        return self.url

    async def until_up(self, webhook_set: Callable[[], bool], within: float = 30) -> None:
        """Wait until every instance listens and Telegram has been given the webhook."""
        deadline = time.monotonic() + within
        while not webhook_set() or not all(listening(p) for p in self.ports):
            if time.monotonic() > deadline:
                raise AssertionError("the instances did not come up")
            await asyncio.sleep(0.1)

    async def handle(self, request: web.Request) -> web.Response:
        assert self._http is not None
        i = next(self.turn)
        headers = {SECRET_HEADER: request.headers.get(SECRET_HEADER, ""), "Content-Type": "application/json"}
        try:
            async with self._http.post(
                f"http://127.0.0.1:{self.ports[i]}/webhook", data=await request.read(), headers=headers
            ) as resp:
                self.served[i] += 1
                return web.Response(status=resp.status, body=await resp.read())
        except OSError:
            return web.Response(status=502)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()
