"""Original pictures drawn with Pillow when the demo loads: no photos shipped or fetched."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def _sky(draw: ImageDraw.ImageDraw, width: int, height: int, top: tuple, bottom: tuple) -> None:
    for y in range(height):
        t = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)


def rice_field(width: int = 1800, height: int = 1200) -> bytes:
    """Golden rice under an evening sky, rows running to the horizon."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = height * 5 // 12
    _sky(draw, width, horizon, (120, 170, 220), (250, 205, 150))
    draw.ellipse(
        [width * 0.7, horizon * 0.35, width * 0.7 + 160, horizon * 0.35 + 160], fill=(255, 236, 180)
    )
    rng = random.Random(68)  # noqa: S311 - decoration, not security
    for row in range(horizon, height, 6):
        depth = (row - horizon) / (height - horizon)
        base = (int(170 + 60 * depth), int(140 + 50 * depth), int(30 + 20 * depth))
        draw.line([(0, row), (width, row)], fill=base, width=6)
        for _ in range(int(20 + 120 * depth)):
            x = rng.randrange(width)
            draw.line(
                [(x, row), (x + rng.randrange(-8, 9), row - int(4 + 30 * depth))],
                fill=(210, 180, 60),
                width=max(1, int(3 * depth)),
            )
    return _jpeg(image)


def lotus_pond(width: int = 1800, height: int = 1200) -> bytes:
    """Pink lotus flowers over green leaves on still water."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    _sky(draw, width, height, (40, 110, 120), (20, 60, 70))
    rng = random.Random(1975)  # noqa: S311 - decoration, not security
    for _ in range(70):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(50, 140)
        draw.ellipse(
            [x - r, y - r * 0.7, x + r, y + r * 0.7], fill=(50, 140 + rng.randrange(60), 60)
        )
    for _ in range(9):
        x, y = rng.randrange(150, width - 150), rng.randrange(150, height - 150)
        for petal in range(6):
            dx = (petal - 2.5) * 26
            draw.ellipse(
                [x + dx - 30, y - 110 + abs(dx) * 0.6, x + dx + 30, y + 10],
                fill=(235, 120 + petal * 8, 160),
                outline=(190, 80, 120),
            )
        draw.ellipse([x - 22, y - 40, x + 22, y], fill=(245, 210, 90))
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
