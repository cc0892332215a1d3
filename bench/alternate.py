"""Pages before and after a change, in one run: two checkouts' code measured in turns.

    git worktree add /tmp/before <commit>
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/procura_bench_content \\
        .venv/bin/python bench/alternate.py --before /tmp/before --rounds 6 --runs 20

Each round runs bench/content_bench.py (this checkout's script) once on the earlier code and
once on this checkout's, in separate processes, alternating which goes first; the timings of
all rounds are pooled per page and variant. Prints median / p95 ms and the queries of each.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_bench import percentile  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="the checkout of the earlier code")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    variants = {"before": Path(args.before).resolve(), "after": ROOT}
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as handle:
        raw = handle.name
    for number in range(args.rounds):
        order = list(variants.items())
        if number % 2:
            order.reverse()
        for label, code in order:
            print(f"round {number + 1}: {label}", flush=True)
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "content_bench.py"),
                    "--runs",
                    str(args.runs),
                    "--code",
                    str(code),
                    "--raw",
                    raw,
                    "--label",
                    label,
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
    pooled = {}
    for line in Path(raw).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        entry = pooled.setdefault(record["page"], {}).setdefault(
            record["label"], {"times": [], "queries": record["queries"]}
        )
        entry["times"] += record["times"]
    print("\n| page | before: median / p95 ms (queries) | after: median / p95 ms (queries) |")
    print("|---|---|---|")
    for page, by_label in pooled.items():
        cells = []
        for label in variants:
            entry = by_label[label]
            times = entry["times"]
            cells.append(
                f"{statistics.median(times):.1f} / {percentile(times, 0.95):.1f} "
                f"({entry['queries']})"
            )
        print(f"| {page} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
