"""Accessibility (axe-core) and HTML validity (the Nu Html Checker) for the browser tests."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SOURCE = f"() => {{ {AXE.read_text(encoding='utf-8') if AXE.exists() else ''}\n}}"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The pages whose accessibility and validity are checked, in every language tested.
PAGES = {
    "home": "/{lang}/",
    "case-study-index-filtered": "/{lang}/case-studies/?topic=energy&country=FI",
    "case-study": "/{lang}/case-studies/helsinki-school-heat-pumps/",
    "manual": "/{lang}/manual/",
    "manual-chapter": "/{lang}/manual/strategy/",
    "manual-whole": "/{lang}/manual/whole/",
    "news-index": "/{lang}/news/",
    "news-item": "/{lang}/news/heat-pumps-webinar-recap/",
    "event-index": "/{lang}/events/",
    "event": "/{lang}/events/procura-plus-seminar-2027/",
    "search": "/{lang}/search/?q={query}",
    "not-found": "/{lang}/no-such-page/",
}
QUERIES = {"en": "heat+pumps", "de": "W%C3%A4rmepumpen"}


def axe_violations(page):
    # Evaluated by the browser's debugging protocol, which the site's Content-Security-Policy
    # does not govern (an added <script> element would be inline code, and blocked).
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
            }));
        }""",
        WCAG_TAGS,
    )
    return result


def describe_violations(url, violations):
    lines = [f"{url}: {len(violations)} WCAG 2.1 AA violation(s)"]
    for v in violations:
        lines.append(f"- rule {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['summary'].splitlines()[-1]}")
    return "\n".join(lines)


def html_errors(files):
    """{file name: [error messages]} from the Nu Html Checker, for all files in one run."""
    if not files:
        return {}
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = {Path(f).name: [] for f in files}
    for message in report.get("messages", []):
        if message.get("type") == "error":
            name = Path(message.get("url", "").removeprefix("file:")).name
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message.get('message')} "
                f"[{message.get('extract', '').strip()[:120]}]"
            )
    return errors
