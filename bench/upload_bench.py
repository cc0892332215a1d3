"""Translation upload benchmark: a translator's PO file of 3,000 strings, imported.

    .venv/bin/python bench/upload_bench.py --units 3000 --rounds 5

One standard page whose body holds `--units` paragraphs (one string each), its pending
strings for German downloaded as a PO file (translations/exchange.py, `export_file`), every
string given a translation, and the file uploaded back: the whole request of the upload
view (`translations:import`, as a superuser, Django's test client in-process: reading and
checking the file, writing the translations, saving the German draft), then the same file
uploaded again (every string unchanged). Each round runs in a transaction rolled back
afterwards, so every round imports into the same state. `--profile` prints cProfile's
view of one upload instead.

Its own SQLite database (var/bench-upload.sqlite3, built on the first run or with
`--build`); PostgreSQL when DATABASE_URL is set. Prints the machine and a table, and writes
the same to var/bench-upload.md.
"""

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = ROOT / "var" / "bench-upload.sqlite3"

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--units", type=int, default=3_000, help="strings in the file (3,000)")
parser.add_argument("--rounds", type=int, default=5, help="uploads measured (5)")
parser.add_argument("--build", action="store_true", help="build the SQLite database afresh")
parser.add_argument("--profile", action="store_true", help="profile one upload instead")
args = parser.parse_args()

# Before Django starts: this benchmark's own database, unless one is given.
if not os.environ.get("DATABASE_URL"):
    if args.build and DATABASE.exists():
        DATABASE.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"

from bench import python_speed, setup_django  # noqa: E402

setup_django()

import polib  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.models import Locale, Site  # noqa: E402
from wagtail.rich_text import RichText  # noqa: E402
from wagtail_localize.segments.ingest import StreamFieldSegmentsWriter  # noqa: E402


class Rollback(Exception):
    pass


def build_database():
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    if not Site.objects.exists() or not Locale.objects.filter(language_code="de").exists():
        call_command("setup_site", verbosity=0, stdout=quiet)


def the_page(units):
    """A published standard page of `units` paragraphs, made once per size."""
    from home.models import StandardPage

    slug = f"bench-upload-{units}"
    page = StandardPage.objects.filter(slug=slug, locale=Locale.get_default()).first()
    if page is None:
        home = Site.objects.get(is_default_site=True).root_page
        body = [
            ("paragraph", RichText(f"<p>Sentence {n} of the upload benchmark.</p>"))
            for n in range(units)
        ]
        page = home.add_child(instance=StandardPage(title="Upload benchmark", slug=slug, body=body))
        page.save_revision().publish()
    return page


def translated_file(page, locale):
    from translations.exchange import export_file

    data, count = export_file(locale, "po", page_ids=[page.pk])
    po = polib.pofile(data.decode("utf-8"))
    for entry in po:
        entry.msgstr = f"Übersetzt: {entry.msgid}"
    return str(po).encode("utf-8"), count


def upload(client, locale, data):
    started = time.perf_counter()
    response = client.post(
        reverse("translations:import") + f"?locale={locale.language_code}",
        {"locale": locale.language_code, "file": SimpleUploadedFile("de.po", data)},
    )
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"upload failed ({response.status_code}): {response.content[:500]}")
    return elapsed


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    build_database()
    locale = Locale.objects.get(language_code="de")
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-upload").first()
    if user is None:
        user = user_model.objects.create_superuser("bench-upload", "bench@example.org", None)
    with transaction.atomic():
        page = the_page(args.units)
    client = Client()
    client.force_login(user)

    # wagtail-localize's own block lookup (translations/ingest.py) in alternate rounds.
    ours = StreamFieldSegmentsWriter.get_stream_block_child_data
    upstream = getattr(ours, "upstream", ours)
    times = {"new": [], "again": [], "upstream": []}
    units = 0
    for number in range(1 if args.profile else args.rounds * 2):
        variant = "upstream" if number % 2 else "new"
        StreamFieldSegmentsWriter.get_stream_block_child_data = (
            upstream if variant == "upstream" else ours
        )
        try:
            with transaction.atomic():
                data, units = translated_file(page, locale)
                if args.profile:
                    profile = cProfile.Profile()
                    profile.enable()
                    upload(client, locale, data)
                    profile.disable()
                    stats = pstats.Stats(profile)
                    stats.sort_stats("cumulative").print_stats(35)
                    stats.sort_stats("tottime").print_stats(25)
                else:
                    times[variant].append(upload(client, locale, data))
                    if variant == "new":
                        times["again"].append(upload(client, locale, data))
                raise Rollback
        except Rollback:
            pass
    StreamFieldSegmentsWriter.get_stream_block_child_data = ours
    if args.profile:
        return

    def row(label, values):
        return f"| {label} | {statistics.median(values):.2f} s | {percentile(values, 0.95):.2f} s |"

    speed = python_speed()
    lines = [
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{connection.vendor}, the 10-million-step loop {speed:.2f} s",
        f"{units} strings, {args.rounds} rounds of each",
        "",
        "| upload of the PO file | median | p95 |",
        "|---|---|---|",
        row("every string new", times["new"]),
        row("the same file again (every string unchanged)", times["again"]),
        row("every string new, wagtail-localize's own block lookup", times["upstream"]),
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "var" / "bench-upload.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
