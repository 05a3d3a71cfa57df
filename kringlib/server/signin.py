"""How the dashboard server knows its visitor: a token for one person, or the hub's sign-in."""

from __future__ import annotations

from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.utils import url_path_join
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from traitlets import Unicode


class LocalVisitor(IdentityProvider):
    """``kring serve``: whoever opens the link with the random token printed at start-up
    acts as the one local user the command named."""

    local_username = Unicode(help="the workbench account the local visitor acts as").tag(
        config=True
    )

    def generate_anonymous_user(self, handler) -> User:
        return User(username=self.local_username, name=self.local_username)


class HubVisitor(JupyterHubIdentityProvider):
    """``kring hub``: the visitor JupyterHub signed in, through the hub's OAuth."""

    def get_handlers(self) -> list:
        # Voilà mounts these as given; under the hub they live below the service's prefix.
        return [
            (url_path_join(self.parent.server_url, path), *rest)
            for path, *rest in super().get_handlers()
        ]
