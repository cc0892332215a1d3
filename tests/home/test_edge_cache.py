"""The site behind a real Varnish (Debian's package), as `make serve` runs it: gunicorn with
the production settings on a SQLite database of the module's own, Varnish with the project's
VCL (deploy/varnish/default.vcl) in front, and changes published from `manage.py shell` with
FRONTEND_CACHE_URL pointing at Varnish."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.importer.test_importer import DATA

# The same on every database: its site has a SQLite database of its own.
pytestmark = [pytest.mark.own_sqlite_site, pytest.mark.long_running]

ROOT = Path(__file__).resolve().parents[2]
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, log):
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (a local test server)
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(log.read_text()[-3000:]) from None
            time.sleep(0.3)


class Edge:
    def __init__(self, folder):
        self.folder = folder
        self.app_port, self.edge_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.edge_port}"
        env = {k: v for k, v in os.environ.items() if k not in {"ELASTICSEARCH_URL", "CACHE_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="procura.settings.production",
            DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
            MEDIA_ROOT=str(folder / "media"),
            # Its own: the servers of two test modules may collect at the same time.
            STATIC_ROOT=str(folder / "static"),
            SECRET_KEY="test-edge-cache-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwx",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            FRONTEND_CACHE_URL=self.url,
            EMAIL_URL=f"file://{folder / 'mail'}",
            WAGTAILADMIN_BASE_URL=self.url,
        )
        self.env = env
        self.processes = []

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout

    def shell(self, code):
        return self.manage("shell", "--no-imports", "-c", code)

    def start(self):
        app_log = self.folder / "gunicorn.log"
        app = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "procura.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{self.app_port}"],
            cwd=ROOT, env=self.env, stdout=app_log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(app)
        wait_for(f"http://127.0.0.1:{self.app_port}/health/", app, app_log)
        # The task worker, as `make serve` runs it: fallback pages and the search index
        # follow a publish from there, and purge what they change when they do.
        worker_log = self.folder / "worker.log"
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "-v0"],
            cwd=ROOT, env=self.env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(worker)
        # Varnish reads its files as an unprivileged user: a folder it may enter.
        self.work = Path(tempfile.mkdtemp(prefix="procura-edge-"))
        self.work.chmod(0o755)
        vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
        vcl = vcl.replace('.port = "8001"', f'.port = "{self.app_port}"')
        (self.work / "default.vcl").write_text(vcl)
        (self.work / "default.vcl").chmod(0o644)
        edge_log = self.folder / "varnish.log"
        edge = subprocess.Popen(
            [VARNISHD, "-F", "-a", f"127.0.0.1:{self.edge_port}", "-f",
             str(self.work / "default.vcl"), "-n", str(self.work / "varnish"),
             "-s", "malloc,64m"],
            stdout=edge_log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(edge)
        wait_for(f"{self.url}/health/", edge, edge_log)

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)
        if getattr(self, "work", None):
            shutil.rmtree(self.work, ignore_errors=True)

    def get(self, path, cookie=None):
        request = urllib.request.Request(  # noqa: S310 (the test's own Varnish)
            self.url + path, headers={"Accept-Encoding": "gzip"}
        )
        if cookie:
            request.add_header("Cookie", cookie)
        try:
            response = urllib.request.urlopen(request, timeout=10)  # noqa: S310
        except urllib.error.HTTPError as error:
            response = error
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        return response.status, response.headers, body.decode()


@pytest.fixture(scope="module")
def edge(tmp_path_factory, migrated_sqlite):
    if not Path(VARNISHD).exists():
        message = "varnishd is missing: `apt-get install varnish` (make test does it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("edge-site")
    site = Edge(folder)
    content = folder / "content.json"
    content.write_text(json.dumps(DATA), encoding="utf-8")
    migrated_sqlite(folder / "site.sqlite3")
    site.manage("migrate", "--no-input", "-v0")
    site.manage("setup_site")
    site.manage("import_content", str(content))
    site.manage("collectstatic", "--no-input", "-v0")
    try:
        site.start()
        yield site
    finally:  # a server that started is stopped even where the next did not start
        site.stop()


def cache_state(edge, path, cookie=None):
    status, headers, _body = edge.get(path, cookie)
    assert status == 200, (path, status)
    return headers["X-Cache"]


def test_an_anonymous_page_is_a_hit_the_second_time(edge):
    for path in ("/en/case-studies/ghent-food/", "/de/case-studies/", "/sv/news/n1/", "/en/"):
        edge.get(path)
        status, headers, _body = edge.get(path)
        assert headers["X-Cache"] == "HIT", path
        assert headers["Content-Encoding"] == "gzip", path
        assert "Set-Cookie" not in headers, path


def test_signed_in_and_restricted_pages_are_never_hits(edge):
    edge.shell(
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_superuser('edge-admin', 'a@example.org', 'pw')\n"
    )
    session = edge.shell(
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "user = get_user_model().objects.get(username='edge-admin')\n"
        "s = SessionStore(); s['_auth_user_id'] = str(user.pk)\n"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s['_auth_user_hash'] = user.get_session_auth_hash(); s.create()\n"
        "print(s.session_key)\n"
    ).strip()
    cookie = f"sessionid={session}"
    for _ in range(3):
        status, headers, body = edge.get("/en/case-studies/oslo-light/", cookie)
        assert headers["X-Cache"] == "MISS" and "private" in headers["Cache-Control"]
    assert "Oslo buys efficient street lights" in body

    edge.shell(
        "from wagtail.models import Page, PageViewRestriction\n"
        "page = Page.objects.get(slug='oslo-light', locale__language_code='en')\n"
        "PageViewRestriction.objects.create(page=page, restriction_type='login')\n"
    )
    for path in ("/en/case-studies/oslo-light/", "/fr/case-studies/oslo-light/"):
        for _ in range(2):
            status, headers, body = edge.get(path)
            assert status == 302 or "/login/" in body, path
            assert headers["X-Cache"] == "MISS", path
            assert "no-store" in headers["Cache-Control"], path
    for _ in range(2):
        _status, headers, body = edge.get("/en/case-studies/")
    assert "Oslo buys" not in body  # the listing was purged when the restriction came


PUBLISH = (
    "from wagtail.models import Page\n"
    "page = Page.objects.get(slug='ghent-food', locale__language_code='{language}').specific\n"
    "page.title = '{title}'\n"
    "page.save_revision().publish()\n"
)


def test_publishing_a_page_purges_what_shows_it_in_every_language(edge):
    shown = (
        "/en/case-studies/ghent-food/",
        "/en/case-studies/",
        "/fr/case-studies/ghent-food/",
        "/fr/case-studies/",
        "/en/search/?q=ghent",
        "/sitemap-en.xml",
    )
    for path in shown:
        edge.get(path)
        assert cache_state(edge, path) == "HIT", path
    edge.get("/en/events/")
    started = time.monotonic()
    edge.shell(PUBLISH.format(language="en", title="Ghent cooks plant-based"))
    _status, headers, body = edge.get("/en/case-studies/ghent-food/")
    assert headers["X-Cache"] == "MISS" and "cooks plant-based" in body  # purged at the commit
    # The fallback pages and the search index follow from the task worker, seconds later,
    # and purge again what they change.
    for path in shown:
        while True:
            _status, headers, body = edge.get(path)
            # The sitemap holds no titles; search marks the word it found.
            if path == "/sitemap-en.xml" or "cooks plant-based" in body:
                break
            assert time.monotonic() - started < 30, path
            time.sleep(0.2)
    assert cache_state(edge, "/sitemap-en.xml") == "HIT"  # purged once, then kept
    assert time.monotonic() - started < 30  # a shell's start included
    assert cache_state(edge, "/en/events/") == "HIT"  # what does not show it stays


def test_publishing_the_german_translation_purges_what_shows_it(edge):
    for path in (
        "/de/case-studies/ghent-food/",
        "/de/case-studies/",
        "/en/case-studies/ghent-food/",
    ):
        edge.get(path)
        assert cache_state(edge, path) == "HIT", path
    edge.shell(PUBLISH.format(language="de", title="Gent kocht pflanzlich"))
    for path in ("/de/case-studies/ghent-food/", "/de/case-studies/"):
        _status, headers, body = edge.get(path)
        assert "Gent kocht pflanzlich" in body and headers["X-Cache"] == "MISS", path
    # The English page's language links follow its versions: purged with them.
    assert cache_state(edge, "/en/case-studies/ghent-food/") == "MISS"


def test_only_the_app_may_purge(edge):
    """BAN and PURGE from an address outside the VCL's `purgers` are refused."""
    import http.client

    for source, expected in (("127.0.0.2", 405), ("127.0.0.1", 200)):
        connection = http.client.HTTPConnection(
            "127.0.0.1", edge.edge_port, timeout=5, source_address=(source, 0)
        )
        connection.request("BAN", "/", headers={"X-Ban-Tags": "pages"})
        assert connection.getresponse().status == expected, source
        connection.close()
