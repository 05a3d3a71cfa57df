"""What the dashboard server enforces for every visitor, in ``kring serve`` and ``kring hub``.

- The visitor the identity provider signed in is stamped on the request under
  :data:`~kringlib.ui.identity.VISITOR_HEADER`, written over anything a browser sent, so
  the page's kernel learns who it serves from Voilà's request info and from nothing else.
- A kernel belongs to the visitor whose page request it was handed to (preheated or
  started then); nobody else may talk to it or shut it down, and a visitor holds at most
  a few pages at once: the next page is refused before a kernel is spent on it.
- The request-info socket a preheated kernel waits on answers only a direct connection
  from this machine: never a browser (which always sends ``Origin``) and never a request
  that came through the hub's proxy (which adds ``X-Forwarded-For``).
"""

from __future__ import annotations

import contextvars
import functools
import ipaddress

from jupyter_server.auth.authorizer import Authorizer
from tornado import web
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler

from kringlib.ui.identity import DEMO_HEADER, VISITOR_HEADER, header_env

OWNERS = "kring_kernel_owners"
DEMO = "kring_demo"
MAX_PAGES = "kring_max_pages_per_visitor"
_visitor = contextvars.ContextVar("kring_visitor", default="")


class KernelOwners:
    """Which visitor each kernel serves."""

    def __init__(self):
        self._owner: dict[str, str] = {}

    def assign(self, kernel_id: str, username: str) -> None:
        """Record that ``kernel_id`` now serves ``username``."""
        self._owner[kernel_id] = username

    def owns(self, kernel_id: str, username: str) -> bool:
        """True when ``kernel_id`` serves ``username`` (never for an unassigned kernel)."""
        return bool(username) and self._owner.get(kernel_id) == username

    def pages_of(self, username: str, alive: set[str]) -> int:
        """How many live kernels ``username`` holds; forgets kernels that are gone."""
        for gone in set(self._owner) - alive:
            del self._owner[gone]
        return sum(owner == username for owner in self._owner.values())


def assign_kernels_to_visitors(kernel_manager, owners: KernelOwners) -> None:
    """Record the visitor of every kernel Voilà hands out for a page request.

    A page gets either a new kernel, started with the request's environment (which holds
    the visitor), or a preheated one from ``get_rendered_notebook``, called in the page
    request's own task, where :class:`VisitorVoilaHandler` has set the visitor. Pool
    refills start without a visitor and stay unassigned until a page takes them.
    """
    start = kernel_manager.start_kernel

    @functools.wraps(start)
    async def start_kernel(*args, **kwargs):
        kernel_id = await start(*args, **kwargs)
        visitor = (kwargs.get("env") or {}).get(header_env(VISITOR_HEADER))
        if visitor:
            owners.assign(kernel_id, visitor)
        return kernel_id

    kernel_manager.start_kernel = start_kernel
    if not hasattr(kernel_manager, "get_rendered_notebook"):
        return  # no preheated kernels
    render = kernel_manager.get_rendered_notebook

    @functools.wraps(render)
    async def get_rendered_notebook(*args, **kwargs):
        rendered = await render(*args, **kwargs)
        if _visitor.get():
            owners.assign(rendered[2], _visitor.get())  # (task, cells, kernel id)
        return rendered

    kernel_manager.get_rendered_notebook = get_rendered_notebook


def _username(handler) -> str:
    user = handler.current_user
    return getattr(user, "username", "") if user else ""


class KernelOwnerAuthorizer(Authorizer):
    """Any signed-in visitor may use the server; a kernel only the visitor it serves."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        if resource != "kernels":
            return user is not None
        kernel_id = handler.path_kwargs.get("kernel_id") or next(iter(handler.path_args), None)
        return kernel_id is not None and handler.settings[OWNERS].owns(kernel_id, user.username)


class VisitorVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, telling the kernel who the signed-in visitor is."""

    async def prepare(self):
        for header in (VISITOR_HEADER, DEMO_HEADER):
            self.request.headers.pop(header, None)  # a browser's word counts for nothing
        await super().prepare()
        username = _username(self)
        if not username:
            return  # @web.authenticated on get() sends the visitor to sign in
        kernels = set(self.kernel_manager.list_kernel_ids())
        limit = self.settings[MAX_PAGES]
        if self.settings[OWNERS].pages_of(username, kernels) >= limit:
            raise web.HTTPError(
                429, f"Terlalu banyak halaman terbuka (paling banyak {limit}); tutup salah satu."
            )
        _visitor.set(username)
        # Closing the tab asks the server to shut the page's kernel down, a POST that
        # needs the XSRF cookie; a page opened by its own link (not from Beranda, which
        # sets it) would otherwise keep its kernel, and a place of the visitor's, until culled.
        self.xsrf_token  # noqa: B018 (reading it sets the cookie)
        self.request.headers[VISITOR_HEADER] = username
        if self.settings[DEMO]:
            self.request.headers[DEMO_HEADER] = "1"


class OwnerShutdownHandler(VoilaShutdownKernelHandler):
    """Shutting a page's kernel down when the tab closes: only by the visitor it serves."""

    @web.authenticated
    async def post(self, kernel_id):
        if not self.settings[OWNERS].owns(kernel_id, _username(self)):
            raise web.HTTPError(403)
        await super().post(kernel_id)


class KernelOnlyRequestInfoHandler(RequestInfoSocketHandler):
    """The preheated kernel's wait for its visitor: a direct local connection only."""

    def get(self, *args, **kwargs):
        headers = self.request.headers
        direct = "Origin" not in headers and "X-Forwarded-For" not in headers
        if not direct or not ipaddress.ip_address(self.request.remote_ip).is_loopback:
            raise web.HTTPError(403)
        return super().get(*args, **kwargs)

    def open(self, kernel_id: str) -> None:
        super().open(kernel_id)
        # the kernel's notebook has run up to its visitor: the next dashboard may preheat
        waits = getattr(self.settings["kernel_manager"], "waits_for_visitor", None)
        if waits is not None:
            waits(kernel_id)
