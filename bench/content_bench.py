"""Page rendering benchmark: the demo site plus N case studies (default 5,000 over 5 languages).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/procura_bench_content \
        .venv/bin/python bench/content_bench.py --build

Reports the median and p95 render time (uncached, in-process, the whole Django request) of the
case study index unfiltered and filtered, a case study, a Manual chapter and the news feed,
with the number of SQL queries of each. Writes the table to var/bench-content.md.

`--code DIR` measures another checkout's code (a worktree of an earlier commit, say) with
this script, and `--raw FILE` appends every timing to FILE (JSON lines): bench/alternate.py
runs two checkouts in turns that way, for a before/after in one run.
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else ROOT
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(CODE.resolve()))  # the project's modules come from here

from bench import python_speed, setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.corpus import TextMaker, analyze, bulk_pages  # noqa: E402
from bench.search_bench import machine, percentile  # noqa: E402
from casestudies.models import CaseStudyIndexPage, CaseStudyPage  # noqa: E402
from home.models import Topic  # noqa: E402

LANGUAGES = ["en", "de", "fr", "es", "it"]
COUNTRIES = [
    "AT",
    "BE",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "HR",
    "IE",
    "IT",
    "NL",
    "PL",
    "PT",
    "SE",
    "SK",
    "SI",
    "NO",
    "LT",
]
COLUMNS = [
    "summary",
    "organisation",
    "country",
    "authority_type",
    "population_band",
    "year",
    "hero_image_id",
    "hero_image_alt",
    "body",
    "co2e_tonnes_per_year",
    "co2e_note",
    "energy_mwh_per_year",
    "energy_note",
    "cost_saving_eur",
    "cost_saving_note",
    "contact_name",
    "contact_role",
    "contact_email",
    "pdf_id",
]


def build(total):
    if not CaseStudyIndexPage.objects.exists():
        call_command("setup_site", verbosity=0)
        call_command("import_content", str(ROOT / "demo" / "content.json"), verbosity=0)
    maker = TextMaker()
    rand = random.Random(5)
    topics = list(Topic.objects.filter(locale__language_code="en"))
    through = CaseStudyPage.topics.through
    per_language = total // len(LANGUAGES)
    for language in LANGUAGES:
        parent = CaseStudyIndexPage.objects.get(locale__language_code=language)
        rows = []
        for number in range(per_language):
            title = maker.title(language)
            rows.append(
                (
                    title,
                    f"bench-case-{number}",
                    (
                        maker.paragraph(language, 2),
                        "Bench City",
                        rand.choice(COUNTRIES),
                        "municipality",
                        "250k_1m",
                        rand.randint(2010, 2026),
                        None,
                        "",
                        maker.body(language),
                        rand.choice([None, rand.randint(5, 5000)]),
                        "",
                        rand.choice([None, rand.randint(10, 90000)]),
                        "",
                        rand.choice([None, rand.randint(1000, 5_000_000)]),
                        "",
                        "",
                        "",
                        "",
                        None,
                    ),
                )
            )
        ids = []
        for start in range(0, len(rows), 2000):
            ids += bulk_pages(parent, CaseStudyPage, rows[start : start + 2000], COLUMNS)
        through.objects.bulk_create(
            [through(casestudypage_id=pk, topic_id=rand.choice(topics).pk) for pk in ids],
            batch_size=2000,
        )
        print(f"  {language}: {per_language} case studies", flush=True)


def measure(client, url, runs):
    """The request's times in ms, and its number of SQL queries. A first request
    warms the per-process memos, as a running server has them; the queries are counted on
    a second; the timed requests run without Django's query capture, whose logging of each
    statement (the summary's is long) is no part of serving a page."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(captured)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--case-studies", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--code", help="a checkout whose code to measure (default: this one)")
    parser.add_argument("--raw", help="append every timing to this file (JSON lines)")
    parser.add_argument("--label", default="", help="the label of the raw timings")
    args = parser.parse_args()
    lines = [f"Machine: {machine()}"]
    print(lines[0], flush=True)
    if args.build:
        print("Building…", flush=True)
        build(args.case_studies)
        analyze()
    lines.append(
        f"Case studies: {CaseStudyPage.objects.live().count()} live "
        f"(the benchmark's spread over {', '.join(LANGUAGES)}; the demo's, with their "
        "fallback pages in the other languages)"
    )
    print(lines[-1], flush=True)
    study = CaseStudyPage.objects.filter(locale__language_code="en", slug__startswith="bench")
    detail = study.first().url
    pages = {
        "case study index, unfiltered": "/en/case-studies/",
        "case study index, filtered (topic + country)": "/en/case-studies/?topic=energy&country=FI",
        "case study index, page 40 (German)": "/de/case-studies/?page=40",
        "case study (detail)": detail,
        "Manual chapter": "/en/manual/strategy/political-commitment/",
        "news feed (RSS)": "/en/news/feed/",
    }
    client = Client()
    table = ["| page | median ms | p95 ms | SQL queries |", "|---|---|---|---|"]
    for name, url in pages.items():
        times, queries = measure(client, url, args.runs)
        median, p95 = statistics.median(times), percentile(times, 0.95)
        table.append(f"| {name} | {median:.1f} | {p95:.1f} | {queries} |")
        if args.raw:
            record = {"label": args.label, "page": name, "queries": queries, "times": times}
            with open(args.raw, "a", encoding="utf-8") as raw:
                raw.write(json.dumps(record) + "\n")
        print(table[-1], flush=True)
    table.append(f"\nAt the end, a 10-million-step Python loop: {python_speed():.2f} s")
    print(table[-1], flush=True)
    out = ROOT / "var" / "bench-content.md"
    out.write_text("\n".join(lines + ["", *table, ""]), encoding="utf-8")
    print(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
