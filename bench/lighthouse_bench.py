"""Lighthouse audit: accessibility, best practices and SEO of the pages visitors use most.

    make demo && .venv/bin/python bench/lighthouse_bench.py

Serves the demo database (var/db.sqlite3, or DATABASE_URL's) with the development settings
and DEBUG off on 127.0.0.1:8011, and runs Google's Lighthouse (npm `lighthouse`, installed on
first use into var/lighthouse/, pinned: 13 needs a newer Node.js than Debian's) in Debian's
Chromium, headless, on the home page, the case study index, a case study and a search, each
at Lighthouse's mobile and desktop settings. Prints the scores of the three categories and
writes the table to var/bench-lighthouse.md; exits 1 if any score is below `--minimum`
(100). `--categories` adds "performance" if wanted (noisy on a shared machine).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "var" / "lighthouse"
LIGHTHOUSE = "lighthouse@12.2.3"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = [
    ("home page", "/en/"),
    ("case study index", "/en/case-studies/"),
    ("a case study", None),  # the first one the index links to
    ("search", "/en/search/?q=energy"),
]
# Audits a page fails on purpose. Search results say `noindex` (search/views.py): an internal
# search is an endless set of thin pages that search engines should not index, so
# Lighthouse's "is-crawlable" fails there by design, and the SEO score with it.
EXPECTED = {"search": {"is-crawlable"}}

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--port", type=int, default=8011)
parser.add_argument("--minimum", type=int, default=100, help="lowest acceptable score (100)")
parser.add_argument(
    "--categories",
    default="accessibility,best-practices,seo",
    help="Lighthouse categories, comma-separated",
)
args = parser.parse_args()


def lighthouse_binary():
    binary = TOOLS / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", LIGHTHOUSE],
            check=True,
        )
    return binary


def serve():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "procura.settings.dev",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/health/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("The site did not start.")


def first_case_study(base):
    address = f"{base}/en/case-studies/"
    html = urllib.request.urlopen(address, timeout=30).read().decode()  # noqa: S310
    marker = 'href="/en/case-studies/'
    for chunk in html.split(marker)[1:]:
        path = chunk.split('"', 1)[0]
        if path and "?" not in path and path.count("/") == 1:
            return "/en/case-studies/" + path
    raise SystemExit("No case study linked from the index.")


def audit(binary, url, preset):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        command = [
            str(binary),
            url,
            f"--only-categories={args.categories}",
            "--output=json",
            f"--output-path={report.name}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.loads(Path(report.name).read_text())
    scores = {
        name: round(category["score"] * 100) for name, category in result["categories"].items()
    }
    failed = {
        name: [
            ref["id"]
            for ref in category["auditRefs"]
            if ref["weight"] and (result["audits"][ref["id"]].get("score") or 0) < 1
        ]
        for name, category in result["categories"].items()
    }
    return scores, failed


def main():
    binary = lighthouse_binary()
    server = serve()
    base = f"http://127.0.0.1:{args.port}"
    rows, failures = [], []
    try:
        for label, path in PAGES:
            path = path or first_case_study(base)
            for preset in ("mobile", "desktop"):
                scores, failed = audit(binary, base + path, preset)
                rows.append((label, path, preset, scores))
                failures += [
                    f"{label} ({preset}): {name} {score} ({', '.join(failed[name])})"
                    for name, score in scores.items()
                    if score < args.minimum and set(failed[name]) - EXPECTED.get(label, set())
                ]
    finally:
        server.terminate()
        server.wait(timeout=30)

    names = args.categories.split(",")
    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    lines = [
        f"{platform.node()}: Lighthouse {version}, {CHROMIUM}, the demo content",
        "",
        "| page | address | settings | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for label, path, preset, scores in rows:
        cells = " | ".join(str(scores.get(name, "–")) for name in names)
        lines.append(f"| {label} | `{path}` | {preset} | {cells} |")
    lines += [""] + [
        f"{label}: fails {', '.join(sorted(audits))} by design (see EXPECTED)."
        for label, audits in EXPECTED.items()
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "var" / "bench-lighthouse.md").write_text(text + "\n")
    if failures:
        print("\nBelow the minimum of", args.minimum, ":", "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
