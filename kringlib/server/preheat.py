"""Preheated kernels, one dashboard at a time, in the order visitors need them.

Voilà (0.5) keeps a pool of kernels per notebook that have already run the notebook up to
the cell waiting for a visitor (:func:`kringlib.ui.identity.wait_for_request`). Left to
itself it starts every pool at once when the server starts, and refills a pool as soon
as a page takes its kernel. On a small machine every dashboard then imports its packages
at the same moment, and the first visitors wait for all of them.

Here Voilà's preheating manager is built on :class:`OrderedPreheat`, which answers each
of Voilà's requests to fill a pool (``fill_if_needed``) by queueing it: one notebook is
preheated at a time, in Beranda's order (:func:`kringlib.server.catalogue.dashboards`;
notebooks not listed there come last), the next only once the kernel before it waits
for its visitor (its notebook has run) or has finished. A refill waits Voilà's
``fill_delay`` first, so the page that took the kernel draws before the next one starts.

A visitor never waits in this queue: a page whose pool is not started yet gets a kernel
of its own at once (Voilà's ordinary start for a page), next to at most one preheat.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from kringlib.server.catalogue import dashboards

PREHEAT_LIMIT_S = 120.0
"""The longest one preheat holds the queue (a notebook that neither finishes nor waits)."""


class OrderedPreheat(AsyncMappingKernelManager):
    """The kernel manager Voilà builds its preheating manager on
    (``VoilaConfiguration.multi_kernel_manager_class``); see the module's description.

    Without preheating (``preheat_kernel`` off) it is Jupyter Server's own manager.
    """

    def __init__(self, **kwargs):
        # Voilà's manager is a subclass whose __init__ asks to fill every pool right after
        # this returns, and whose pages ask again; an attribute of the instance answers
        # before the class's method, so both calls reach the queue.
        self._queue: dict[str, dict] = {}
        self._waiting: dict[str, asyncio.Event] = {}
        self._worker: asyncio.Task | None = None
        self._stopping = False
        if hasattr(type(self), "fill_if_needed"):
            self.fill_if_needed = self._request_fill
        super().__init__(**kwargs)

    def waits_for_visitor(self, kernel_id: str) -> None:
        """Called when ``kernel_id``'s notebook has run up to the wait for its visitor."""
        if kernel_id in self._waiting:
            self._waiting[kernel_id].set()

    def _request_fill(self, delay=None, notebook_name=None, **kwargs) -> None:
        delay = self.fill_delay if delay is None else delay
        if delay > 0:
            _loop().call_later(delay, self._enqueue, notebook_name, kwargs)
        else:
            self._enqueue(notebook_name, kwargs)

    def _enqueue(self, notebook_name: str, kwargs: dict) -> None:
        if self._stopping:
            return
        self._queue[notebook_name] = kwargs
        if self._worker is None or self._worker.done():
            self._worker = _loop().create_task(self._preheat_in_order())

    def _order(self) -> list[str]:
        return [d.path for d in dashboards(Path(self.parent.root_dir))]

    async def _preheat_in_order(self) -> None:
        while self._queue and not self._stopping:
            listed = self._order()
            notebook_name = min(
                self._queue, key=lambda n: (listed.index(n) if n in listed else len(listed), n)
            )
            kwargs = self._queue.pop(notebook_name)
            before = self.get_pool_size(notebook_name)
            type(self).fill_if_needed(self, delay=0, notebook_name=notebook_name, **kwargs)
            if self.get_pool_size(notebook_name) > before:
                # Voilà keeps the pool's kernels as tasks in _pools (voila 0.5)
                await self._until_warm(notebook_name, self._pools[notebook_name][-1])

    async def _until_warm(self, notebook_name: str, pooled: asyncio.Task) -> None:
        """Wait until the pooled kernel's notebook waits for its visitor or has ended."""
        try:
            started = await pooled
        except Exception:
            return  # the kernel did not start; Voilà logs why
        kernel_id = started["kernel_id"]
        waiting = asyncio.ensure_future(self._waiting.setdefault(kernel_id, asyncio.Event()).wait())
        try:
            await asyncio.wait(
                [started["task"], waiting], timeout=PREHEAT_LIMIT_S, return_when="FIRST_COMPLETED"
            )
        finally:
            waiting.cancel()
            self._waiting.pop(kernel_id, None)
        self.log.info(
            "Dasbor %s siap untuk pengunjung berikutnya (kernel %s)", notebook_name, kernel_id
        )

    async def shutdown_all(self, now=False):
        """Stop preheating, then shut every kernel down."""
        self._stopping = True
        self._queue.clear()
        if self._worker is not None:
            self._worker.cancel()
        await super().shutdown_all(now=now)


def _loop() -> asyncio.AbstractEventLoop:
    """The server's event loop, also while the server is still being built (as Voilà does)."""
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop
