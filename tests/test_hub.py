"""`kring hub` over HTTP as visitors reach it: everyone signs in, nobody runs code or reads files.

The browser walks through the hub in test_browser_hub.py; here plain HTTP and websocket
clients try what a curious visitor could try by hand.
"""

import contextlib
import json
import re
import time
import uuid

import pytest
import websockets.sync.client as ws_client
from conftest import HUB_PASSWORD

from kringlib.settings import DB_URL_ENV

DASHBOARDS = "services/kring/"


def test_login_page_speaks_indonesian(hub):
    import requests

    page = requests.get(hub.url + "hub/login").text
    assert "Nama pengguna" in page and "Kata sandi" in page and 'value="Masuk"' in page


def test_dashboards_need_a_sign_in(hub):
    import requests

    response = requests.get(hub.url + DASHBOARDS + "voila/render/KPI-Tim.ipynb")
    assert response.url.startswith(hub.url + "hub/login")


def test_a_wrong_password_is_refused(hub):
    visitor = hub.session("ag001", "bukan-kata-sandinya")
    response = visitor.get(hub.url + DASHBOARDS)
    assert response.url.startswith(hub.url + "hub/login")


def test_a_signed_in_visitor_reaches_beranda(hub):
    visitor = hub.session("ag001")
    response = visitor.get(hub.url + DASHBOARDS)
    assert response.status_code == 200
    assert "Beranda" in response.text and "KPI Tim" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "hub/spawn",  # no server of one's own, so no JupyterLab and no terminal
        "user/ag001/lab",
        "user/ag001/api/contents",
        "hub/api/users",
        DASHBOARDS + "api/contents",
        DASHBOARDS + "voila/api/contents/KPI-Tim.ipynb",
        DASHBOARDS + "api/kernels",
        DASHBOARDS + "api/terminals",
        DASHBOARDS + "voila/files/KPI-Tim.ipynb",
    ],
)
def test_no_code_and_no_files_for_a_visitor(hub, path):
    visitor = hub.session("ag001")
    response = visitor.get(hub.url + path)
    # 424: the hub's answer to an API call for a server that is not running (and, for
    # anyone but an analyst, cannot be started: hub/spawn answers 403)
    assert response.status_code in (403, 404, 424), (path, response.url, response.status_code)


def _open_page(visitor, hub, notebook="Banding.ipynb") -> tuple[str, str]:
    html = visitor.get(hub.url + DASHBOARDS + "voila/render/" + notebook).text
    return re.search(r'"kernelId": "([0-9a-f-]+)"', html).group(1), html


def _close_page(visitor, hub, kernel_id):
    """What the page does when its tab closes: shut its kernel down."""
    return visitor.post(
        hub.url + DASHBOARDS + f"voila/api/shutdown/{kernel_id}",
        headers={"X-XSRFToken": _service_xsrf(visitor)},
    )


@contextlib.contextmanager
def opened_page(visitor, hub, notebook="Banding.ipynb"):
    """A page open for the length of the block (each open page holds a kernel)."""
    kernel_id, html = _open_page(visitor, hub, notebook)
    try:
        yield kernel_id, html
    finally:
        _close_page(visitor, hub, kernel_id)


def _service_xsrf(visitor) -> str:
    return next(c.value for c in visitor.cookies if c.name == "_xsrf" and "services" in c.path)


def _kernel_socket(visitor, hub, kernel_id, **headers):
    cookies = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
    url = hub.url.replace("http", "ws") + DASHBOARDS + f"api/kernels/{kernel_id}/channels"
    return ws_client.connect(url, additional_headers={"Cookie": cookies, **headers})


def _execute_request(code: str) -> str:
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "session": uuid.uuid4().hex,
              "username": "", "version": "5.3", "date": ""}  # fmt: skip
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}  # fmt: skip
    return json.dumps({"header": header, "parent_header": {}, "metadata": {},
                       "content": content, "channel": "shell", "buffers": []})  # fmt: skip


def test_the_kernel_refuses_code_from_the_browser(hub, tmp_path):
    visitor = hub.session("ag001")
    proof = tmp_path / "dijalankan.txt"
    with (
        opened_page(visitor, hub) as (kernel_id, _),
        _kernel_socket(visitor, hub, kernel_id) as socket,
    ):
        socket.send(_execute_request(f"open({str(proof)!r}, 'w').write('x')"))
        replies, deadline = [], time.monotonic() + 8
        while time.monotonic() < deadline:
            try:
                replies.append(json.loads(socket.recv(timeout=1)))
            except TimeoutError:
                continue
    assert not proof.exists(), "a visitor's code ran in the kernel"
    assert not [m for m in replies if m.get("msg_type") in ("execute_reply", "execute_input")]


def test_another_visitor_cannot_reach_my_kernel(hub):
    owner = hub.session("ag001")
    kernel_id, _ = _open_page(owner, hub)
    intruder = hub.session("tl.merapi")
    with pytest.raises(Exception, match="403"):
        _kernel_socket(intruder, hub, kernel_id)
    assert _close_page(intruder, hub, kernel_id).status_code == 403
    with _kernel_socket(owner, hub, kernel_id):
        pass  # while its own visitor may connect
    assert _close_page(owner, hub, kernel_id).status_code == 204


def test_a_visitor_holds_a_limited_number_of_pages(hub):
    visitor = hub.session("asesor.andi")
    opened = []
    try:
        while len(opened) < 10:
            response = visitor.get(hub.url + DASHBOARDS + "voila/render/Banding.ipynb")
            if response.status_code == 429:
                break
            opened.append(re.search(r'"kernelId": "([0-9a-f-]+)"', response.text).group(1))
        assert len(opened) == 6 and "Terlalu banyak halaman terbuka" in response.text
        _close_page(visitor, hub, opened.pop())
        with opened_page(visitor, hub):
            pass  # closing one page makes room for another
    finally:
        for kernel_id in opened:
            _close_page(visitor, hub, kernel_id)


@pytest.mark.parametrize("origin", [None, "browser"])
def test_nobody_outside_reads_a_kernels_request_info(hub, origin):
    """Only the kernel itself, on this machine and not through the hub, may ask who it serves."""
    visitor = hub.session("ag001")
    with opened_page(visitor, hub) as (kernel_id, _):
        cookies = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())
        url = hub.url.replace("http", "ws") + DASHBOARDS + f"voila/query/{kernel_id}"
        options = {"origin": hub.url.rstrip("/")} if origin else {}
        with pytest.raises(Exception, match="403"):
            ws_client.connect(url, additional_headers={"Cookie": cookies}, **options)


def test_pages_never_show_the_database_url(hub):
    visitor = hub.session("spv.pkl")
    with opened_page(visitor, hub, "Data.ipynb") as (_, html):
        pass
    assert "sqlite:" not in html and "hub.sqlite" not in html and DB_URL_ENV not in html
    assert HUB_PASSWORD not in html
