"""The edge cache against the static ceiling, and how fresh it stays: `make serve`'s
arrangement (Varnish before gunicorn with the production settings) on the database of
`make run`, against nginx serving the same bytes from files, in one run.

    make demo && .venv/bin/python bench/edge_bench.py --rounds 3 --seconds 5

For each page: wrk (-t2 -c20, gzip accepted, as browsers do) alternately against Varnish
(a cached page) and nginx (the bytes Varnish delivered, from a file, gzip_static), so the
two share the machine's moods; the medians of the rounds and their ratio. Then the time from
publishing a change (from `manage.py shell`, FRONTEND_CACHE_URL set) until the page, its
listing and its German version show it through the cache. Needs varnish, nginx-light and wrk
(Debian packages). Prints the table and writes it to var/bench-edge.md.
"""

import argparse
import gzip
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import python_speed  # noqa: E402

PAGES = {
    "home page": "/en/",
    "case study index": "/en/case-studies/",
    "a case study": "/en/case-studies/ghent-plant-based-school-meals/",
    "Manual chapter": "/en/manual/strategy/political-commitment/",
}
PYTHON = sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (local)
        return response.headers, response.read()


def wait_for(url, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def wrk(url, seconds):
    out = subprocess.run(
        ["wrk", "-t2", "-c20", f"-d{seconds}s", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    machine = (
        f"{platform.node()}: {os.cpu_count()} CPUs, {platform.platform()}; "
        f"a 10-million-step Python loop: {python_speed():.2f} s"
    )
    print(machine, flush=True)
    work = Path(tempfile.mkdtemp(prefix="procura-edge-bench-"))
    work.chmod(0o755)
    app_port, edge_port, static_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "APP_PORT": str(app_port),
        "EDGE_PORT": str(edge_port),
    }
    serve = subprocess.Popen(
        ["bash", str(ROOT / "deploy" / "serve-local.sh")],
        cwd=ROOT,
        env=env,
        stdout=(work / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    nginx = None
    edge = f"http://127.0.0.1:{edge_port}"
    lines = [f"Machine: {machine}", ""]
    try:
        wait_for(f"{edge}/health/")
        # The bytes Varnish delivers (gzip), as files nginx serves with gzip_static.
        docroot = work / "static"
        for path in PAGES.values():
            fetch(edge + path)
            headers, body = fetch(edge + path)
            assert headers["X-Cache"] == "HIT", path
            target = docroot / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(gzip.decompress(body))
            (target.parent / "index.html.gz").write_bytes(body)
        shutil.copytree(docroot, work / "www")
        (work / "nginx.conf").write_text(
            f"""worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    gzip_static on;
    server {{
        listen 127.0.0.1:{static_port};
        root {work}/www;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""
        )
        nginx = subprocess.Popen(["nginx", "-c", str(work / "nginx.conf"), "-g", "daemon off;"])
        static = f"http://127.0.0.1:{static_port}"
        wait_for(static + "/en/")
        lines += [
            "| page | Varnish req/s | nginx req/s (same bytes) | Varnish / nginx |",
            "|---|---|---|---|",
        ]
        print(lines[-2] + "\n" + lines[-1], flush=True)
        for name, path in PAGES.items():
            cached, ceiling = [], []
            for _round in range(args.rounds):
                cached.append(wrk(edge + path, args.seconds))
                ceiling.append(wrk(static + path, args.seconds))
            a, b = statistics.median(cached), statistics.median(ceiling)
            lines.append(f"| {name} | {a:,.0f} | {b:,.0f} | {a / b:.0%} |")
            print(lines[-1], flush=True)
        lines.append("")
        lines.append(freshness(edge))
        print(lines[-1], flush=True)
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=20)
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "var" / "bench-edge.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWritten to {out}")


def freshness(edge):
    """Seconds from the publish's return to the change showing through the cache."""
    path = PAGES["a case study"]
    shown = (path, "/en/case-studies/", "/sv" + path.removeprefix("/en"))
    for page in shown:
        fetch(edge + page)
    marker = f"edge bench {int(time.time())}"
    code = (
        "from casestudies.models import CaseStudyPage\n"
        "page = CaseStudyPage.objects.get(slug='ghent-plant-based-school-meals',"
        " locale__language_code='en')\n"
        f"page.summary = {marker!r}\n"
        "page.save_revision().publish()\n"
    )
    env = {**os.environ, "FRONTEND_CACHE_URL": edge}
    subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    published = time.monotonic()
    waited = {}
    for page in shown:
        while marker not in gzip.decompress(fetch(edge + page)[1]).decode():
            if time.monotonic() - published > 30:
                waited[page] = None
                break
            time.sleep(0.05)
        else:
            waited[page] = time.monotonic() - published
    parts = ", ".join(
        f"{page}: {'not within 30 s' if s is None else f'{s:.2f} s'}" for page, s in waited.items()
    )
    what = "a case study's summary: the page, its listing, its Swedish fallback page"
    return f"After a publish ({what}): {parts}"


if __name__ == "__main__":
    main()
