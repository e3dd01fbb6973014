"""Contrast measured from the browser's computed styles (WCAG 2.2's relative luminance):
of the focused element's focus indicator against the colour around it (1.4.11, at least
3:1), and of text against the background it is drawn on (1.4.3, at least 4.5:1)."""

COLOUR_JS = """
const rgba = (c) => { const m = (c.match(/[\\d.]+/g) || ['0', '0', '0', '0']).map(Number);
  return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
const luminance = ({r, g, b}) => { const f = (v) => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const ratio = (x, y) => { const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100; };
const backgroundOf = (e) => { for (; e; e = e.parentElement) {
  const c = rgba(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; }
  return {r: 255, g: 255, b: 255, a: 1}; };
const hex = ({r, g, b}) => '#' + [r, g, b].map(v => v.toString(16).padStart(2, '0')).join('');
"""

# The focus indicator is drawn outside the element (an outline, then a box-shadow ring beyond
# it when its spread is wider than the outline): each visible part is compared with the
# background around the element; the indicator passes when one part has 3:1.
FOCUS_RING = "() => {" + COLOUR_JS + """
  const e = document.activeElement;
  if (!e || e === document.body) return {element: 'body', parts: [], best: 0};
  const s = getComputedStyle(e);
  const around = backgroundOf(e.parentElement);
  const parts = [];
  const outline = s.outlineStyle !== 'none' && s.outlineStyle !== 'auto' ? parseFloat(s.outlineWidth) : 0;
  if (outline > 0) parts.push({part: 'outline', colour: hex(rgba(s.outlineColor)), ratio: ratio(rgba(s.outlineColor), around)});
  if (s.boxShadow !== 'none') {
    const colour = rgba(s.boxShadow);
    const lengths = s.boxShadow.replace(/rgba?\\([^)]*\\)/, '').match(/-?[\\d.]+px/g).map(parseFloat);
    const spread = lengths.length > 3 ? lengths[3] : 0;
    if (!s.boxShadow.includes('inset') && spread > outline + Math.max(0, parseFloat(s.outlineOffset) || 0))
      parts.push({part: 'box-shadow', colour: hex(colour), ratio: ratio(colour, around)});
  }
  const name = e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')
    + (e.type ? '[' + e.type + ']' : '') + ' ' + (e.textContent || '').trim().slice(0, 40);
  return {element: name, around: hex(around), parts, best: Math.max(0, ...parts.map(p => p.ratio))};
}"""

# Each element the selector finds: its text colour against the background it is drawn on.
TEXT_CONTRAST = "(selector) => {" + COLOUR_JS + """
  return [...document.querySelectorAll(selector)].map(e => {
    const s = getComputedStyle(e);
    return {text: (e.textContent || '').trim().slice(0, 40), colour: hex(rgba(s.color)), background: hex(backgroundOf(e)),
            ratio: ratio(rgba(s.color), backgroundOf(e))};
  });
}"""


def focus_ring(page) -> dict:
    """The focused element's focus indicator: its visible parts and the best contrast of one."""
    return page.evaluate(FOCUS_RING)


def assert_focus_visible(page, what: str = "") -> dict:
    """The focused element shows a focus indicator with at least 3:1 against its surroundings."""
    ring = focus_ring(page)
    assert ring["best"] >= 3, f"focus indicator of {ring['element']!r} {what}: {ring}"
    return ring


def text_contrast(page, selector: str) -> list[dict]:
    return page.evaluate(TEXT_CONTRAST, selector)
