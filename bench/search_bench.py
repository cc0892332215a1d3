"""Search benchmark: 50,000 pages over 24 languages, this project's search against stock
Wagtail database search on the same pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/procura_bench \
        .venv/bin/python bench/search_bench.py --build --pages 50000

Prints the machine, then per measurement the median and p95 over many runs, and writes the
same table to var/bench-search.md (copy it into docs/benchmarks.md).

The stock baseline (`--stock`) is Wagtail's database backend searching the page model the
corpus consists of, in one language, as Wagtail documents it:
`NewsPage.objects.live().filter(locale=locale).search(q)`, default ranking, the first ten
results and the count. `--stock-model page` searches the `Page` base model instead, which is
far slower on PostgreSQL: its join to stock Wagtail's index entries lists the content types of
all page types, so PostgreSQL prices looking up the language's ~2,100 pages in that index at 11
index probes a page and, cheaper on paper, scans the whole index (all 24 languages) in
parallel. The scan de-TOASTs and concatenates every page's body vector (~4.7 kB each) to match
it, for the ten results and again for the count; the planner does not price that. Searching
`NewsPage` looks up only that language's entries, one probe a page.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import python_speed, setup_django  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from bench.corpus import TextMaker, analyze, bulk_pages, locale_parent, random_date  # noqa: E402
from news.models import NewsIndexPage, NewsPage  # noqa: E402
from search.analysis import analyzer  # noqa: E402
from search.indexing import index_pages, rebuild  # noqa: E402
from search.models import IndexEntry  # noqa: E402
from search.query import autocomplete, search  # noqa: E402

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def samples(function, runs):
    """Milliseconds of `runs` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(times):
    return statistics.median(times), percentile(times, 0.95)


def timed(function, runs):
    return summary(samples(function, runs))


def pooled(functions, runs):
    """Median and p95 over the calls of several functions (a workload of several queries),
    each called `runs` times, in turn, so that drift of a noisy machine hits them alike."""
    times = []
    for _ in range(runs):
        for function in functions:
            times.extend(samples(function, 1))
    return summary(times)


def machine():
    """The machine, its software, and its speed at the time (see `python_speed`)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, {database}, {platform.platform()}; "
        f"a 10-million-step Python loop: {python_speed():.2f} s"
    )


def build(total):
    maker = TextMaker()
    per_language = total // len(LANGUAGES)
    rand = random.Random(11)
    for language in LANGUAGES:
        parent = locale_parent(NewsIndexPage, language, "Benchmark news", "bench-news")
        done = NewsPage.objects.child_of(parent).count()
        rows = []
        for number in range(done, per_language):
            title = maker.title(language)
            rows.append(
                (
                    title,
                    f"bench-{number}",
                    (
                        maker.paragraph(language, 2),
                        random_date(rand),
                        "Benchmark",
                        maker.body(language),
                    ),
                )
            )
        for start in range(0, len(rows), 2000):
            bulk_pages(
                parent, NewsPage, rows[start : start + 2000], ["summary", "date", "author", "body"]
            )
        print(f"  {language}: {per_language} pages", flush=True)


def queries_for(language, rand, count=8):
    """Typical queries: two words of a title in the corpus. Common: the most frequent term."""
    # In page order: the same queries in every run on the same corpus (the entries' own order
    # changes with each rebuild).
    titles = list(
        IndexEntry.objects.filter(locale=language)
        .order_by("page_id")
        .values_list("title", flat=True)[:2000]
    )
    a = analyzer(language)
    typical = []
    for title in rand.sample(titles, min(count, len(titles))):
        words = [w for _s, _e, w in a.words(title) if a.term(w) and len(w) > 3]
        if len(words) >= 2:
            typical.append(" ".join(rand.sample(words, 2)))
    counts = {}
    for title in titles:
        for term in a.terms(title):
            counts[term] = counts.get(term, 0) + 1
    common_term = max(counts, key=counts.get)
    common_word = next(w for t in titles for _s, _e, w in a.words(t) if a.term(w) == common_term)
    return typical, common_word


STOCK_MODELS = {"news": NewsPage, "page": Page}


def stock_search(query, locale, model=NewsPage):
    """Stock Wagtail: the database backend (PostgreSQL full text search over its own index
    entries), one language as Wagtail documents it (`locale` is the `Locale`, looked up once
    per language as a view has it from `Locale.get_active()`), ranked by relevance (Wagtail's
    default), the first ten results and the count, as our search returns."""
    results = model.objects.live().filter(locale=locale).search(query)
    return list(results[:10]), results.count()


def stock_statistics(model):
    """Planner statistics for the tables the stock search reads (autovacuum, which would keep
    them, is off on this machine), and a check that stock Wagtail's index holds the corpus."""
    from wagtail.search.models import IndexEntry as StockEntry

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (StockEntry._meta.db_table, Page._meta.db_table, model._meta.db_table):
                cursor.execute(f'ANALYZE "{table}"')
    entries = StockEntry.objects.count()
    if entries < NewsPage.objects.live().count():
        sys.exit(f"Stock Wagtail's index has {entries} entries: run with --stock-index first.")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true", help="create the corpus first")
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--languages", default="en,de,fr,es,it,pl,fi,el")
    parser.add_argument("--stock", action="store_true", help="also time stock Wagtail search")
    parser.add_argument(
        "--stock-index", action="store_true", help="(re)build stock Wagtail's index first, timed"
    )
    parser.add_argument(
        "--stock-model",
        choices=sorted(STOCK_MODELS),
        default="news",
        help="the model stock Wagtail searches: the corpus's NewsPage (default) or Page",
    )
    args = parser.parse_args()

    lines = [f"Machine: {machine()}"]
    print(lines[0], flush=True)
    if args.build:
        call_command("setup_site", verbosity=0)
        print("Building the corpus…", flush=True)
        started = time.monotonic()
        build(args.pages)
        analyze()
        print(f"  built in {time.monotonic() - started:.0f}s", flush=True)

    pages = Page.objects.live().filter(depth__gt=2).count()
    lines.append(f"Live pages: {pages} in {len(LANGUAGES)} languages")
    print(lines[-1], flush=True)

    started = time.monotonic()
    count = rebuild(batch_size=1000)
    rebuild_seconds = time.monotonic() - started
    lines.append(f"Full rebuild of this project's index: {count} pages in {rebuild_seconds:.1f}s")
    print(lines[-1], flush=True)

    if args.stock_index:
        started = time.monotonic()
        call_command("update_index", verbosity=0)
        analyze()  # planner statistics for its fresh tables, as our rebuild refreshes ours
        lines.append(
            f"Stock Wagtail `update_index` (all models): {time.monotonic() - started:.1f}s"
        )
        print(lines[-1], flush=True)
    if args.stock:
        model = STOCK_MODELS[args.stock_model]
        stock_statistics(model)
        lines.append(
            f"Stock Wagtail: `{model.__name__}.objects.live().filter(locale=…).search(q)`, "
            "database backend, default ranking, ten results and the count"
        )
        print(lines[-1], flush=True)

    rand = random.Random(3)
    client = Client()
    table = [
        "| measurement | median ms | p95 ms | stock Wagtail median ms | stock p95 ms |",
        "|---|---|---|---|---|",
    ]
    for language in args.languages.split(","):
        table.extend(measure_language(language, rand, client, args))
        print("\n".join(table[-4:]), flush=True)

    page_ids = list(NewsPage.objects.live().values_list("pk", flat=True)[:24])
    one = timed(lambda: index_pages(page_ids[:1]), args.runs)
    many = timed(lambda: index_pages(page_ids), max(10, args.runs // 3))
    table.append(f"| indexing on publish: one page | {one[0]:.1f} | {one[1]:.1f} | | |")
    table.append(
        f"| indexing on publish: a page and its 23 fallback pages (24 pages) | "
        f"{many[0]:.1f} | {many[1]:.1f} | | |"
    )
    print("\n".join(table[-2:]), flush=True)
    table.append(f"\nAt the end, a 10-million-step Python loop: {python_speed():.2f} s")
    print(table[-1], flush=True)

    report = "\n".join(lines + ["", *table, ""])
    out = ROOT / "var" / "bench-search.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(f"\nWritten to {out}")


def visit(language):
    """A fresh request, as the search view and the autocomplete endpoint have one (the
    site and its root paths are then looked up once per request, not once per link)."""
    return RequestFactory().get(f"/{language}/search/")


def measure_language(language, rand, client, args):
    """Rows of the results table for one language."""
    typical, common = queries_for(language, rand)
    ours = pooled(
        [lambda q=q: search(q, language, log=False, request=visit(language)) for q in typical],
        args.runs,
    )
    view = timed(lambda: client.get(f"/{language}/search/", {"q": typical[0]}), args.runs)
    common_ours = timed(
        lambda: search(common, language, log=False, request=visit(language)), args.runs
    )
    stock_typical = stock_common = ("–", "–")
    if args.stock:
        stock_runs = max(5, args.runs // 3)
        locale = Locale.objects.get(language_code=language)
        model = STOCK_MODELS[args.stock_model]
        stock_typical = pooled(
            [lambda q=q: stock_search(q, locale, model) for q in typical], stock_runs
        )
        stock_common = timed(lambda: stock_search(common, locale, model), stock_runs)
    prefixes = [q.split()[0][:4] for q in typical]
    auto = pooled(
        [lambda p=p: autocomplete(p, language, request=visit(language)) for p in prefixes],
        args.runs,
    )
    return [
        f"| {language}: typical queries ({len(typical)}, e.g. “{typical[0]}”) | "
        f"{ours[0]:.1f} | {ours[1]:.1f} | "
        f"{fmt(stock_typical[0])} | {fmt(stock_typical[1])} |",
        f"| {language}: very common term “{common}” | {common_ours[0]:.1f} | "
        f"{common_ours[1]:.1f} | {fmt(stock_common[0])} | {fmt(stock_common[1])} |",
        f"| {language}: whole search page (HTML view) | {view[0]:.1f} | {view[1]:.1f} | | |",
        f"| {language}: autocomplete | {auto[0]:.1f} | {auto[1]:.1f} | | |",
    ]


def fmt(value):
    return value if isinstance(value, str) else f"{value:.1f}"


if __name__ == "__main__":
    main()
