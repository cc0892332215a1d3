"""The production settings serving a site: `make setup` names the site's address, uploaded
images are served (and kept by Varnish), and a password-reset mail goes out through the SMTP
server that EMAIL_URL names (aiosmtpd on 127.0.0.1), its link on WAGTAILADMIN_BASE_URL.

gunicorn and Varnish run as in `make serve` (tests/home/test_edge_cache.py's `Edge`), on a
SQLite database of this module's own."""

import hashlib
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.home.test_edge_cache import VARNISHD, Edge, free_port

# The same on every database: its site has a SQLite database of its own.
pytestmark = [pytest.mark.own_sqlite_site, pytest.mark.long_running]

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://procuraplus.example"
SENDER = "Procura+ Network <network@procuraplus.example>"


class Mailbox:
    """An SMTP server's handler (aiosmtpd) that keeps what it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="module")
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory, mailbox, migrated_sqlite):
    if not Path(VARNISHD).exists():
        message = "varnishd is missing: `apt-get install varnish` (make test does it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    _box, smtp_port = mailbox
    folder = tmp_path_factory.mktemp("production-site")
    site = Edge(folder)
    site.env.update(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        WAGTAILADMIN_BASE_URL=PUBLIC_URL,
        DEFAULT_FROM_EMAIL=SENDER,
    )
    # `make run`'s set-up step (migrate, setup_site with the address it serves), without
    # the install step it depends on: this checkout is installed.
    migrated_sqlite(folder / "site.sqlite3")
    subprocess.run(
        ["make", "--no-print-directory", "-o", "install", "setup", "HOST=127.0.0.1",
         f"PORT={site.edge_port}"],
        cwd=ROOT, env=site.env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    site.manage("collectstatic", "--no-input", "-v0")
    try:
        site.start()
        yield site
    finally:
        site.stop()


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    try:
        response = urllib.request.urlopen(request, timeout=10)  # noqa: S310 (local servers)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read()


def test_make_setup_names_the_address_the_site_is_served_at(site):
    root_url = f"http://127.0.0.1:{site.edge_port}"
    output = site.shell(
        "from wagtail.models import Site\nprint(Site.objects.get(is_default_site=True).root_url)\n"
    )
    assert output.strip() == root_url
    status, _headers, body = fetch(f"{site.url}/api/v2/pages/?locale=de&fields=html_url")
    assert status == 200
    html_urls = [item["meta"]["html_url"] for item in json.loads(body)["items"]]
    assert html_urls and all(url.startswith(f"{root_url}/de/") for url in html_urls)


IMAGE = """
import hashlib, io, json
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.images.models import Image
buffer = io.BytesIO()
Picture.new("RGB", (400, 300), (0, 110, 80)).save(buffer, "PNG")
image = Image(title="Ghent market")
image.file = ImageFile(buffer, name="ghent-market.png")
image.save()
rendition = image.get_rendition("fill-120x90")
with rendition.file.open("rb") as handle:
    digest = hashlib.sha256(handle.read()).hexdigest()
print(json.dumps({"original": image.file.url, "rendition": rendition.url, "sha256": digest}))
"""


def test_an_uploaded_image_and_its_rendition_are_served_and_kept_at_the_edge(site):
    image = json.loads(site.shell(IMAGE).strip().splitlines()[-1])
    assert image["rendition"].startswith("/media/images/")
    assert image["original"].startswith("/media/original_images/")

    app = f"http://127.0.0.1:{site.app_port}"
    status, headers, body = fetch(app + image["rendition"])
    assert status == 200
    assert hashlib.sha256(body).hexdigest() == image["sha256"]
    assert headers["Content-Type"] == "image/png"
    assert "public" in headers["Cache-Control"]
    assert "max-age=2592000" in headers["Cache-Control"]
    assert fetch(app + image["original"])[0] == 200

    states = []
    for _ in range(2):
        status, headers, body = fetch(site.url + image["rendition"])
        assert status == 200
        assert hashlib.sha256(body).hexdigest() == image["sha256"]
        states.append(headers["X-Cache"])
    assert states == ["MISS", "HIT"]
    # Signed in or not, the same file from the edge.
    _status, headers, _body = fetch(
        site.url + image["rendition"], headers={"Cookie": "sessionid=abc; csrftoken=def"}
    )
    assert headers["X-Cache"] == "HIT"

    # A file that changed since the browser's copy is sent again; an unchanged one is not.
    status, _headers, _body = fetch(
        app + image["rendition"], headers={"If-Modified-Since": headers["Last-Modified"]}
    )
    assert status == 304


def test_documents_and_other_files_are_not_served_from_media(site):
    documents = site.folder / "media" / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "private-tender.txt").write_text("in a private collection")
    app = f"http://127.0.0.1:{site.app_port}"
    for path in (
        "/media/documents/private-tender.txt",
        "/media/images/../documents/private-tender.txt",
        "/media/images/%2e%2e/documents/private-tender.txt",
        "/media/images/missing.png",
    ):
        status, _headers, body = fetch(app + path)
        assert status == 404, path
        assert b"private collection" not in body


def test_a_password_reset_mail_goes_through_the_configured_smtp_server(site, mailbox):
    box, _port = mailbox
    site.shell(
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('reset-me', 'editor@city.example', 'Old-pass-1')\n"
    )
    app = f"http://127.0.0.1:{site.app_port}"
    status, headers, body = fetch(app + "/admin/password_reset/")
    assert status == 200
    # The CSRF cookie is marked Secure (production), so no cookie jar sends it over http.
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    before = len(box.messages)
    status, headers, _body = fetch(
        app + "/admin/password_reset/",
        data=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "email": "editor@city.example"}
        ).encode(),
        headers={"Cookie": f"csrftoken={cookie}"},
    )
    assert status == 200  # the "done" page, after the redirect

    deadline = time.monotonic() + 10
    while len(box.messages) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(box.messages) == before + 1
    envelope = box.messages[-1]
    assert envelope.rcpt_tos == ["editor@city.example"]
    assert envelope.mail_from == "network@procuraplus.example"
    text = envelope.content.decode()
    assert f"From: {SENDER}" in text
    assert re.search(rf"{re.escape(PUBLIC_URL)}/admin/password_reset/confirm/\S+/\S+/", text)
