"""axe-core in the browser: the pinned npm package (tests/browser/package.json), injected
into the page under test and run with the WCAG 2.0/2.1/2.2 A and AA rule tags."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def axe_version() -> str:
    """The exact version pinned in package.json (and locked in package-lock.json)."""
    return json.loads((HERE / "package.json").read_text())["devDependencies"]["axe-core"]


def axe_violations(page) -> list[dict]:
    """Runs axe-core on the page as it is now and returns its violations."""
    assert AXE_JS.exists(), "axe-core is not installed: run `make axe` (npm ci --prefix tests/browser)"
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(' ')), summary: v.nodes.map(n => n.failureSummary)}));
        }""",
        list(TAGS),
    )


def describe(violations: list[dict]) -> str:
    """One line per violation, then each failing element's selector."""
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        lines.extend(f"      {target}" for target in v["targets"][:10])
    return "\n".join(lines)
