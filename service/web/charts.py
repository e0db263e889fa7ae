"""Server-side SVG: the SHAP waterfall of a score's top drivers, counts as bars, and where a
business stands among its peers."""

from __future__ import annotations

import unicodedata
from html import escape

from service.views.schemas import Peers
from service.web.i18n import t

ROW = 26
LABEL = 210
WIDTH = 640


WORDS = {
    "en": {"base": "base value", "rest": "other features", "score": "score (log-odds)",
           "title": "SHAP waterfall"},
    "th": {"base": "ค่าฐาน", "rest": "ปัจจัยอื่น ๆ", "score": "คะแนน (log-odds)",
           "title": "แผนภาพปัจจัยของคะแนน (SHAP)"},
}  # fmt: skip


def waterfall_svg(
    base: float,
    contributions: dict[str, float],
    labels: dict[str, str],
    top: int = 8,
    lang: str = "en",
) -> str:
    """Horizontal waterfall from the base value through the top drivers (and the rest) to the
    score, in log-odds. Red pushes towards distress, green away from it."""
    ranked = sorted(contributions.items(), key=lambda kv: -abs(kv[1]))
    shown = ranked[:top]
    rest = sum(v for _, v in ranked[top:])
    words = WORDS.get(lang, WORDS["en"])
    steps = [*shown, (words["rest"], rest)] if ranked[top:] else shown
    points = [base]
    for _, value in steps:
        points.append(points[-1] + value)
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    plot = WIDTH - LABEL - 70

    def x(v: float) -> float:
        return LABEL + (v - low) / span * plot

    height = ROW * (len(steps) + 2) + 10
    parts = [
        f'<svg class="waterfall" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{words["title"]}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="4" y="{ROW - 8}" class="wf-label">{words["base"]}</text>',
        f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="4" y2="{height - 4}" class="wf-axis"/>',
        f'<text x="{x(base) + 4:.1f}" y="{ROW - 8}" class="wf-value">{base:+.2f}</text>',
    ]
    running = base
    for i, (name, value) in enumerate(steps, start=1):
        y = ROW * i + 4
        start, end = running, running + value
        left, right = sorted((x(start), x(end)))
        colour = "wf-up" if value > 0 else "wf-down"
        label = escape(labels.get(name, name))[:34]
        parts += [
            f'<text x="4" y="{y + 16}" class="wf-label">{label}</text>',
            f'<rect x="{left:.1f}" y="{y + 3}" width="{max(right - left, 1.5):.1f}" '
            f'height="{ROW - 8}" class="{colour}" data-feature="{escape(name)}"/>',
            f'<text x="{right + 4:.1f}" y="{y + 16}" class="wf-value">{value:+.2f}</text>',
        ]
        running = end
    y = ROW * (len(steps) + 1) + 4
    parts += [
        f'<text x="4" y="{y + 16}" class="wf-label">{words["score"]}</text>',
        f'<circle cx="{x(running):.1f}" cy="{y + 11}" r="5" class="wf-final"/>',
        f'<text x="{x(running) + 8:.1f}" y="{y + 16}" class="wf-value">{running:+.2f}</text>',
        "</svg>",
    ]
    return "\n".join(parts)


def bars_svg(items: list[tuple[str, int]], title: str, top: int = 10) -> str:
    """Horizontal bars, largest first: a count per category that reads at a glance."""
    shown = sorted(items, key=lambda kv: -kv[1])[:top]
    high = max((v for _, v in shown), default=0) or 1
    width, label, bar_row = 420, 170, 22
    height = bar_row * len(shown) + 6
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value) in enumerate(shown):
        y = bar_row * i + 3
        length = (width - label - 50) * value / high
        parts += [
            f'<text x="4" y="{y + 14}" class="wf-label">{escape(name)[:26]}</text>',
            f'<rect x="{label}" y="{y + 2}" width="{max(length, 1.5):.1f}" height="{bar_row - 6}" '
            f'class="bar"/>',
            f'<text x="{label + length + 4:.1f}" y="{y + 14}" class="wf-value">{value:,}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters and an ellipsis, never cutting a Thai vowel or tone mark from
    the consonant it sits on."""
    if len(text) <= limit:
        return text
    cut = limit
    while cut > 1 and unicodedata.category(text[cut]) == "Mn":
        cut -= 1
    return text[:cut] + "…"


def standing_svg(rows: list[tuple[str, float]], title: str, middle: str) -> str:
    """Where a business stands among its peers on each ratio: a dot on a 0-100 track (how many
    of its peers it is safer than), over the peers' middle half (25 to 75) and their median."""
    width, label, row = 480, 210, 22
    track = width - label - 50
    height = row * len(rows) + 22
    parts = [
        f'<svg class="standing" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{label + track * 0.25:.1f}" y="0" width="{track * 0.5:.1f}" '
        f'height="{row * len(rows)}" class="peer-middle"/>',
        f'<line x1="{label + track / 2:.1f}" y1="0" x2="{label + track / 2:.1f}" '
        f'y2="{row * len(rows)}" class="peer-median"/>',
        f'<text x="{label + track * 0.25:.1f}" y="{height - 6}" class="wf-value">{escape(middle)}'
        "</text>",
    ]
    for i, (name, safer) in enumerate(rows):
        y = row * i + row / 2
        x = label + track * max(0.0, min(safer, 100.0)) / 100
        parts += [
            f'<text x="4" y="{y + 4:.1f}" class="wf-label">{escape(_clip(name, 30))}</text>',
            f'<line x1="{label}" y1="{y:.1f}" x2="{label + track}" y2="{y:.1f}" class="track"/>',
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" class="peer-dot"/>',
            f'<text x="{label + track + 6}" y="{y + 4:.1f}" class="wf-value">{safer:.0f}%</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)


WEAKEST_SHOWN = 8


def peer_chart(peers: Peers | None, lang: str) -> str | None:
    """The ratios on which the business stands weakest among its peers, as `standing_svg`."""
    if peers is None:
        return None
    directed = [s for s in peers.standings if s.safer_than is not None]
    weakest = sorted(directed, key=lambda s: (s.safer_than, s.feature))[:WEAKEST_SHOWN]
    if not weakest:
        return None
    rows = [(s.label_th if lang == "th" else s.label_en, float(s.safer_than or 0)) for s in weakest]
    return standing_svg(rows, t("peers_weakest", lang), t("peer_middle", lang))
