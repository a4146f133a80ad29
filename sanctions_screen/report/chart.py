"""The score distribution of a report's alerts, as an inline SVG drawn here (no image file, no
library, nothing fetched): one bar per 0.025 of score, with the counts."""

from __future__ import annotations

from collections.abc import Sequence

LOW, HIGH, STEP = 0.5, 1.0, 0.025
WIDTH, HEIGHT, PAD = 520, 160, 28


def score_histogram(scores: Sequence[float], threshold: float | None = None) -> str:
    """An SVG bar chart of how many scores fall in each band of 0.025 from 0.5 to 1.0 (lower
    scores count in the first bar), with the threshold marked.

    >>> score_histogram([0.9, 0.91, 1.0]).startswith("<svg")
    True
    """
    bins = round((HIGH - LOW) / STEP)
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int((s - LOW) / STEP)))] += 1
    top = max(counts) or 1
    bar = (WIDTH - 2 * PAD) / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">',
        f"<title>Scores of {len(scores)} alerts</title>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>',
    ]
    for i, n in enumerate(counts):
        h = (HEIGHT - 2 * PAD) * n / top
        x = PAD + i * bar
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
            f'class="bar"><title>{LOW + i * STEP:.3f}-{LOW + (i + 1) * STEP:.3f}: {n}</title></rect>'
        )
        if n:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - PAD - h - 3:.1f}" class="count">{n}</text>'
            )
    for tick in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        x = PAD + (tick - LOW) / STEP * bar
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" class="tick">{tick:.1f}</text>')
    if threshold is not None and LOW <= threshold <= HIGH:
        x = PAD + (threshold - LOW) / STEP * bar
        parts.append(
            f'<line x1="{x:.1f}" y1="{PAD / 2}" x2="{x:.1f}" y2="{HEIGHT - PAD}" class="threshold"/>'
            f'<text x="{x + 3:.1f}" y="{PAD / 2 + 8}" class="tick">threshold {threshold:.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["score_histogram"]
