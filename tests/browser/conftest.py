"""The running site in a real browser (Playwright driving Debian's Chromium).

The site is set up exactly as `make run` does it (migrate, setup_site, the demo content, the
demo accounts) on a fresh SQLite database of its own, or copied from a site `make demo` set up
so (BROWSER_SITE_FROM, as CI does after `.ci/smoke`), and served by `runserver` on a free port
with DEBUG off. Artefacts of failures (screenshots, page HTML) and each worker's server log
(`server-gw0.log`, …) go to test-results/.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
RESULTS = ROOT / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@dataclass
class Site:
    url: str
    passwords: dict
    env: dict

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=900,
        ).stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_browser():
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: `apt-get install chromium` (make test does it as root)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    _require_browser()
    if os.environ.get("BROWSER_TEST_URL"):
        # A site you already run with the demo content (`make run`), for quick iterations.
        passwords = json.loads((ROOT / "var" / "demo-accounts.json").read_text())
        yield Site(url=os.environ["BROWSER_TEST_URL"].rstrip("/"), passwords=passwords, env={})
        return
    folder = tmp_path_factory.mktemp("browser-site")
    env = {k: v for k, v in os.environ.items() if k not in {"ELASTICSEARCH_URL", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="procura.settings.dev",
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        DEBUG="true",
    )
    run = Site(url="", passwords={}, env=env)
    # Each worker's site has its own passwords: in a fresh checkout, two workers sharing
    # var/demo-accounts.json could each write passwords of their own, one over the other's.
    accounts = folder / "demo-accounts.json"
    if os.environ.get("BROWSER_SITE_FROM"):
        # A site `make demo` set up on a fresh database, the folder `.ci/smoke` leaves
        # (SMOKE_KEEP_SITE): a copy of it, instead of loading the demo content once more.
        source = Path(os.environ["BROWSER_SITE_FROM"])
        shutil.copyfile(source / "site.sqlite3", folder / "site.sqlite3")
        shutil.copytree(source / "media", folder / "media")
        shutil.copyfile(source / "demo-accounts.json", accounts)
        # `make demo` gave the site the address it serves at; a fresh database's is this.
        run.manage("setup_site", "--hostname", "localhost", "--port", "80")
    else:
        for step in (
            ["migrate", "--no-input", "-v0"],
            ["setup_site"],
            ["import_content", "demo/content.json"],
            ["demo_accounts", "--passwords-file", str(accounts)],
        ):
            run.manage(*step)
    run.passwords = json.loads(accounts.read_text())

    port = _free_port()
    server_env = {**env, "DEBUG": "false"}
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed at teardown)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # The task worker beside it, as `make run` and production have: what follows a publish
    # (the fallback pages' copies, the search index) is done there, seconds later.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "-v0"],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    run.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{run.url}/health/", timeout=2)  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                worker.kill()
                raise RuntimeError((folder / "server.log").read_text()[-3000:]) from None
            time.sleep(0.5)
    yield run
    for process in (server, worker):
        process.terminate()
        process.wait(timeout=20)
    log.close()
    # One log per xdist worker: each worker serves its own site.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    shutil.copy(folder / "server.log", _results_dir() / f"server-{worker}.log")


def _results_dir():
    RESULTS.mkdir(exist_ok=True)
    return RESULTS


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# Every Content-Security-Policy violation in any page or frame of the tests' browsers: the
# public policy allows nothing inline, so a template that slips an inline script or style in
# fails the test that shows it (as does anything the admin's policy would block).
CSP_VIOLATIONS = []
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    // Pages only: the browser's own viewer of an XML file (the sitemap) styles it inline.
    if (document.contentType !== "text/html") return;
    window.__procuraCspViolation({
        page: event.documentURI,
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        source: `${event.sourceFile}:${event.lineNumber}`,
        sample: event.sample,
    });
});
"""


def new_context(browser, **options):
    """A browser context whose pages report CSP violations to CSP_VIOLATIONS."""
    context = browser.new_context(**options)

    def report(violation):
        CSP_VIOLATIONS.append(violation)

    context.expose_function("__procuraCspViolation", report)
    context.add_init_script(CSP_LISTENER)
    return context


def assert_no_csp_violations(pages=()):
    for page in pages:
        if not page.is_closed():
            # Let violation events still queued in the page reach the test.
            page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    violations, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(
        f"- {v['page']}: {v['directive']} blocked {v['blocked'] or 'inline'} "
        f"({v['source']}) {v['sample'] or ''}"
        for v in violations
    )


@pytest.fixture
def context(browser):
    CSP_VIOLATIONS.clear()
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context
    try:
        assert_no_csp_violations(context.pages)
    finally:
        context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        keep_artifacts(page, request.node.name)


@pytest.fixture
def screens(browser, request):
    """Opens pages `width` pixels wide: a touch screen phone below 768 px, a desktop above;
    with or without script, in a browser asking for `locale`. After the test, the pages'
    artefacts are kept if it failed, and those with script must have met no CSP violation."""
    contexts = []
    CSP_VIOLATIONS.clear()

    def open_page(width, javascript=True, locale="en-GB"):
        context = new_context(
            browser,
            viewport={"width": width, "height": 640 if width < 768 else 900},
            has_touch=True,
            is_mobile=width < 768,
            java_script_enabled=javascript,
            locale=locale,
        )
        contexts.append((context, javascript))
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    failed = getattr(request.node, "rep_call", None)
    try:
        if failed is not None and failed.failed:
            for context, _ in contexts:
                for page in context.pages:
                    keep_artifacts(page, request.node.name)
        # (Pages without script have no timers for the check to wait on, nor script to block.)
        assert_no_csp_violations([p for c, javascript in contexts if javascript for p in c.pages])
    finally:
        for context, _ in contexts:
            context.close()


def keep_artifacts(page, name):
    folder = _results_dir() / "screenshots"
    folder.mkdir(exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:150]
    try:
        page.screenshot(path=str(folder / f"{safe}.png"), full_page=True)
        (folder / f"{safe}.html").write_text(page.content(), encoding="utf-8")
    except Exception as err:
        print(f"could not keep artefacts for {name}: {err}")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test of this folder is a browser test, marked or not: `-m "not browser"` leaves
    it out, and a live site is never started in the suite without the browser."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def login(page, live_site, username):
    page.goto(f"{live_site.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", live_site.passwords[username])
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_site.url}/admin/")
