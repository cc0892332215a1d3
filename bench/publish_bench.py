"""Publish benchmark: an editor publishes a case study of the demo site, in the admin.

    make demo && .venv/bin/python bench/publish_bench.py --rounds 20

Each round publishes one English case study (which has fallback pages in the 23 other
languages) through the admin's edit view, as the editor would: the form as the admin renders
it, its StreamField content as it was, the title changed to carry a token. Django's test
client in-process, the whole middleware stack. It measures

- the editor's request, from POST to the redirect (what the editor waits for);
- search freshness: from the redirect until the public search finds the token in English and
  the page's Swedish fallback page is indexed with it, while the task worker
  (`manage.py db_worker`) runs beside it in a process of its own, as in production.

`--immediate` runs the queued work inside the request instead (the task backend of the test
settings), for comparison.

On a copy of the demo database (var/db.sqlite3 copied to var/bench-publish.sqlite3 on the
first run or with `--build`), or on DATABASE_URL's database, which it changes. Prints the
machine and a table, and writes the same to var/bench-publish.md.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEMO = ROOT / "var" / "db.sqlite3"
DATABASE = ROOT / "var" / "bench-publish.sqlite3"

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--rounds", type=int, default=20, help="publishes measured (20)")
parser.add_argument("--build", action="store_true", help="copy the demo database afresh")
parser.add_argument(
    "--immediate", action="store_true", help="do the queued work inside the request"
)
parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for search")
args = parser.parse_args()

if not os.environ.get("DATABASE_URL"):
    if not DEMO.exists():
        raise SystemExit("No demo database: run `make demo` first.")
    if args.build or not DATABASE.exists():
        shutil.copyfile(DEMO, DATABASE)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"

from bench import python_speed, setup_django  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.contrib.table_block.blocks import TableBlock  # noqa: E402
from wagtail.fields import StreamField  # noqa: E402
from wagtail.models import Page  # noqa: E402

from casestudies.models import CaseStudyPage  # noqa: E402
from search.models import IndexEntry  # noqa: E402
from search.query import search  # noqa: E402
from tests.utils import edit_form_data  # noqa: E402

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def as_posted(block, state):
    """A block's form state as the browser posts it: a choice is one value, not a list; a
    table is its JSON."""
    if isinstance(block, TableBlock):
        return json.dumps(state)
    return _posted(state)


def _posted(state):
    if isinstance(state, dict):
        return {key: _posted(value) for key, value in state.items()}
    if isinstance(state, list) and len(state) == 1 and isinstance(state[0], str):
        return state[0]
    if isinstance(state, list):
        return [_posted(value) for value in state]
    return state


def form_data(client, page, title):
    """The edit form as the admin sends it: its fields from the rendered HTML, its
    StreamFields (rendered client-side) from their content, through the blocks' form state."""
    streams = {
        field.name: [
            (child.block_type, as_posted(child.block, child.block.get_form_state(child.value)))
            for child in getattr(page, field.name)
        ]
        for field in page._meta.get_fields()
        if isinstance(field, StreamField)
    }
    data = edit_form_data(client, page, **streams)
    data["title"] = title
    data["action-publish"] = "action-publish"
    return data


def wait_until_found(token, page, swedish, deadline):
    """Seconds until the English search finds the token and the Swedish fallback page's
    index entry carries it; None past the deadline."""
    started = time.perf_counter()
    while time.perf_counter() - started < deadline:
        found = search(token, "en", log=False).total
        fallback = IndexEntry.objects.filter(page_id=swedish, title__contains=token).exists()
        if found and fallback:
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def start_worker():
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "-v0",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "procura.settings.dev", "DEBUG": "false"},
    )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    editor = get_user_model().objects.filter(username="editor").first()
    if editor is None:
        raise SystemExit("No demo editor: run `make demo` first.")
    studies = list(
        CaseStudyPage.objects.filter(locale__language_code="en", alias_of=None, live=True).order_by(
            "pk"
        )[:10]
    )
    client = Client()
    client.force_login(editor)
    worker = None if args.immediate else start_worker()
    requests, freshness = [], []
    try:
        with override_settings(**({"TASKS": IMMEDIATE} if args.immediate else {})):
            for number in range(args.rounds):
                page = CaseStudyPage.objects.get(pk=studies[number % len(studies)].pk)
                swedish = Page.objects.get(
                    translation_key=page.translation_key, locale__language_code="sv"
                ).pk
                base = page.title.split(" [bench")[0]
                token = f"benchtoken{os.getpid()}x{number}"
                data = form_data(client, page, f"{base} [bench {token}]")
                started = time.perf_counter()
                response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
                requests.append(time.perf_counter() - started)
                if response.status_code != 302:
                    raise SystemExit(f"publish failed ({response.status_code})")
                fresh = wait_until_found(token, page, swedish, args.timeout)
                if fresh is None:
                    raise SystemExit(f"search did not find {token} within {args.timeout} s")
                freshness.append(fresh)
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)

    def row(label, values):
        return f"| {label} | {statistics.median(values):.2f} s | {percentile(values, 0.95):.2f} s |"

    speed = python_speed()
    mode = "queued work inside the request" if args.immediate else "task worker beside it"
    lines = [
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{connection.vendor}, the 10-million-step loop {speed:.2f} s",
        f"{args.rounds} publishes of {len(studies)} case studies, each with 23 fallback pages; "
        f"{mode}",
        "",
        "| | median | p95 |",
        "|---|---|---|",
        row("the editor's publish request", requests),
        row("then until search finds it (English, and the Swedish fallback page)", freshness),
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "var" / "bench-publish.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
