"""What the dashboard server enforces for every visitor, in ``kring serve`` and ``kring hub``.

- The visitor the identity provider signed in is stamped on the request under
  :data:`~kringlib.ui.identity.VISITOR_HEADER`, written over anything a browser sent, so
  the page's kernel learns who it serves from Voilà's request info and from nothing else.
- A kernel belongs to the first visitor who connects to it; nobody else may talk to it,
  shut it down or read its request info, and a visitor keeps at most a few pages open.
- The request-info socket a preheated kernel waits on answers only that kernel (a browser
  always sends ``Origin`` on a websocket; the kernel does not).
"""

from __future__ import annotations

from jupyter_server.auth.authorizer import Authorizer
from tornado import web
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler

from kringlib.ui.identity import DEMO_HEADER, VISITOR_HEADER

OWNERS = "kring_kernel_owners"
DEMO = "kring_demo"
MAX_PAGES = "kring_max_pages_per_visitor"


class KernelOwners:
    """Which visitor each kernel serves; the first authenticated visitor to claim it."""

    def __init__(self):
        self._owner: dict[str, str] = {}

    def claim(self, kernel_id: str, username: str) -> bool:
        """True when ``username`` owns the kernel now (claiming it if nobody does)."""
        return self._owner.setdefault(kernel_id, username) == username

    def pages_of(self, username: str, alive: set[str]) -> int:
        """How many live kernels ``username`` holds; forgets kernels that are gone."""
        for gone in set(self._owner) - alive:
            del self._owner[gone]
        return sum(owner == username for owner in self._owner.values())


def _username(handler) -> str:
    user = handler.current_user
    return getattr(user, "username", "") if user else ""


class KernelOwnerAuthorizer(Authorizer):
    """Any signed-in visitor may use the server; a kernel only the visitor it serves."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        if resource != "kernels":
            return user is not None
        kernel_id = handler.path_kwargs.get("kernel_id") or next(iter(handler.path_args), None)
        if kernel_id is None:
            return False  # listing or starting kernels is Voilà's business, not a visitor's
        return handler.settings[OWNERS].claim(kernel_id, user.username)


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
        self.request.headers[VISITOR_HEADER] = username
        if self.settings[DEMO]:
            self.request.headers[DEMO_HEADER] = "1"


class OwnerShutdownHandler(VoilaShutdownKernelHandler):
    """Shutting a page's kernel down when the tab closes: only by the visitor it serves."""

    @web.authenticated
    async def post(self, kernel_id):
        if not self.settings[OWNERS].claim(kernel_id, _username(self)):
            raise web.HTTPError(403)
        await super().post(kernel_id)


class KernelOnlyRequestInfoHandler(RequestInfoSocketHandler):
    """The preheated kernel's wait for its visitor; refused to browsers."""

    def get(self, *args, **kwargs):
        if "Origin" in self.request.headers:
            raise web.HTTPError(403)
        return super().get(*args, **kwargs)
