"""Accessibility checks in a page: axe-core (npm, pinned in tests/package.json) with the WCAG 2.1 A and AA rules, and
the two things axe lets pass that this bundle does not: a picture with no text alternative, a control with no
accessible name."""
import re
from pathlib import Path

from support import needs

AXE = Path(__file__).resolve().parent.parent / "tests" / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")


def require_axe():
    if not AXE.exists():
        needs.missing(f"axe-core is not installed at {AXE} (run: npm ci --prefix tests)")


def axe(page, include=None):
    """Run axe-core on the page (or only inside the elements the CSS selectors in `include` match) with the
    WCAG 2.1 A/AA rules; returns its violations, each with the elements it found."""
    require_axe()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async ([include, tags]) => {
        const context = include ? {include: include.map(s => [s])} : document;
        const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)}))}));
    }""", [include, WCAG21_AA])


def counts(violations):
    """How many elements fail, by impact: {'critical': n, 'serious': n, ...}."""
    out = {}
    for v in violations:
        out[v["impact"]] = out.get(v["impact"], 0) + len(v["nodes"])
    return out


def blocking(violations):
    return [v for v in violations if v["impact"] in BLOCKING]


def report(where, violations):
    lines = [f"{where}: {counts(violations)}"]
    for v in violations:
        lines.append(f"  {v['impact']} {v['id']} ({v['help']}): {len(v['nodes'])} element(s)")
        lines += [f"    {n['target']}  {n['html']}" for n in v["nodes"][:4]]
    return "\n".join(lines)


def assert_no_blocking(where, violations):
    print(report(where, violations))
    bad = blocking(violations)
    assert not bad, report(where, bad)


def undescribed_pictures(page, scope="body"):
    """Pictures under `scope` with no text alternative: axe accepts alt="" (it means decoration), but no figure
    of this bundle is decoration."""
    return page.evaluate("""(scope) => [...document.querySelectorAll(scope)].flatMap(root =>
        [...root.querySelectorAll('img, svg[role=img]')].filter(el => !(el.getAttribute('alt') ||
            el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.getAttribute('title') ||
            el.querySelector?.('title')))
        .map(el => el.outerHTML.slice(0, 120)))""", scope)


def unnamed_controls(page, selector="body"):
    """Controls under `selector` whose accessible name (as Chromium's accessibility tree gives it) is empty."""
    tree = page.locator(selector).first.aria_snapshot()
    return [line.strip() for line in tree.splitlines()
            if re.match(r"\s*- (textbox|slider|combobox|button|checkbox|spinbutton|tab|radio)\b(?! \")", line)]
