"""Soak benchmark: many distinct searches against one process; does its memory stay bounded?

    .venv/bin/python bench/soak_bench.py --queries 100000

One process (Django's WSGI handler called in-process, as a gunicorn worker calls it; the
development settings with DEBUG off) answers distinct search queries
(`/<lang>/search/?q=…&format=json`) on the demo content, in its own SQLite database
(var/bench-soak.sqlite3, built on the first run, or `--build`).
Each query is two words of one indexed page's text, in that page's language, so that every
query finds something and goes through ranking, snippets and highlighting; no two queries
are the same. Resident memory (VmRSS of /proc/self/status) is sampled every `--every`
queries. The process is taken as settled after the first `--settle` share of the queries;
the figure is the largest resident size after that against the size at that point, and
the verdict whether it stays within 10%.

Prints the machine and a table, and writes the same to var/bench-soak.md.
"""

import argparse
import gc
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = ROOT / "var" / "bench-soak.sqlite3"

# Before Django starts: this benchmark's own database.
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"

from bench import python_speed, setup_django  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--queries", type=int, default=100_000, help="distinct queries (100,000)")
parser.add_argument("--every", type=int, default=1_000, help="queries between two samples")
parser.add_argument("--settle", type=float, default=0.2, help="share of the run to settle")
parser.add_argument("--build", action="store_true", help="build the database afresh")
parser.add_argument("--seed", type=int, default=16)
args = parser.parse_args()

if args.build and DATABASE.exists():
    DATABASE.unlink()
fresh = not DATABASE.exists()

setup_django()

from urllib.parse import urlencode  # noqa: E402

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from search.analysis import WORD_RE  # noqa: E402


def resident_mib():
    """This process's resident memory (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class Worker:
    """Requests through Django's WSGI handler, as a WSGI server makes them. (Django's test
    client reconnects a signal receiver on every request, and each reconnection leaves a
    finaliser behind: some 1 KiB a request that is the client's, not the site's.)"""

    def __init__(self):
        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def get(self, path, params):
        environ = self.factory._base_environ(
            PATH_INFO=path, QUERY_STRING=urlencode(params), REQUEST_METHOD="GET"
        )
        status = []
        body = self.handler(environ, lambda code, headers, exc_info=None: status.append(code))
        try:
            b"".join(body)
        finally:
            body.close()
        return int(status[0].split()[0])


def build():
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("setup_site", verbosity=0, stdout=quiet)
    call_command("load_demo", str(ROOT / "demo" / "content.json"), verbosity=0, stdout=quiet)
    call_command("rebuild_search_index", stdout=quiet)


def distinct_queries(count, seed):
    """(language, query) pairs, all different: two words of one indexed text each."""
    from search.models import IndexEntry

    rand = random.Random(seed)
    texts = [
        (locale, [w for w in WORD_RE.findall(f"{title} {summary} {body}") if len(w) > 3])
        for locale, title, summary, body in IndexEntry.objects.filter(is_fallback=False)
        .order_by("pk")
        .values_list("locale", "title", "summary", "body")
    ]
    texts = [(locale, sorted(set(words))) for locale, words in texts if len(set(words)) > 3]
    seen = set()
    attempts = 0
    while len(seen) < count:
        attempts += 1
        if attempts > count * 50:
            raise SystemExit(f"only {len(seen)} distinct queries in this corpus")
        locale, words = rand.choice(texts)
        query = " ".join(rand.sample(words, 2))
        if (locale, query) not in seen:
            seen.add((locale, query))
            yield locale, query


def machine():
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, {platform.python_implementation()} "
        f"{platform.python_version()}, SQLite, {platform.platform()}; "
        f"a 10-million-step Python loop: {python_speed():.2f} s"
    )


def main():
    if fresh:
        print("Building the database (migrate, setup_site, load_demo, index)…", flush=True)
        build()
    worker = Worker()
    queries = list(distinct_queries(args.queries, args.seed))
    print(machine(), flush=True)
    samples = [(0, resident_mib())]
    failures = 0
    started = time.perf_counter()
    for number, (locale, query) in enumerate(queries, start=1):
        status = worker.get(f"/{locale}/search/", {"q": query, "format": "json"})
        if status != 200:
            failures += 1
        if number % args.every == 0 or number == len(queries):
            gc.collect()
            samples.append((number, resident_mib()))
            print(f"{number:>8,} queries: {samples[-1][1]:8.1f} MiB", flush=True)
    seconds = time.perf_counter() - started
    settle_at = max(1, int(len(queries) * args.settle))
    settled = next(rss for n, rss in samples if n >= settle_at)
    after = [rss for n, rss in samples if n >= settle_at]
    peak, end = max(after), samples[-1][1]
    growth = (peak - settled) / settled
    table = "\n".join(
        [
            f"{len(queries):,} distinct queries, {failures} not answered 200, "
            f"{len(queries) / seconds:,.0f} queries/s; {machine()}",
            "",
            f"| at start | settled (after {settle_at:,}) | largest after | at the end | growth |",
            "|---|---|---|---|---|",
            f"| {samples[0][1]:.1f} MiB | {settled:.1f} MiB | {peak:.1f} MiB | {end:.1f} MiB "
            f"| {growth:+.1%} |",
            "",
            f"Within 10% of where it settled: {'yes' if growth <= 0.10 else 'NO'}",
        ]
    )
    print()
    print(table)
    (ROOT / "var" / "bench-soak.md").write_text(table + "\n")
    return 0 if growth <= 0.10 and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
