"""Original pictures drawn with Pillow when the demo loads: no photos shipped or fetched.

A handful of scenes (fields, river, buildings, market, festival, road, orchard...) take a palette
and a seed, so thirty articles get distinct pictures from a few small functions. Flat shapes keep
both the drawing and the JPEG copies the upload makes fast: the demo loads in many tests.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

RGB = tuple[int, int, int]
SIZE = (1600, 1000)  # what the scenes are drawn at; the upload keeps 400, 800 and 1600 px copies


@dataclass(frozen=True)
class Palette:
    sky_top: RGB
    sky_bottom: RGB
    ground: RGB
    accent: RGB  # roofs, awnings, flags, flowers
    sun: RGB | None = None


PALETTES = {
    "morning": Palette(
        (150, 200, 235), (235, 240, 225), (95, 160, 70), (200, 60, 50), (255, 240, 190)
    ),
    "noon": Palette((70, 140, 215), (185, 220, 245), (110, 170, 60), (230, 150, 40)),
    "dusk": Palette(
        (120, 110, 190), (250, 180, 130), (90, 120, 60), (220, 80, 90), (255, 210, 150)
    ),
    "rain": Palette((120, 135, 150), (190, 200, 205), (80, 130, 90), (60, 110, 170)),
    "golden": Palette(
        (120, 170, 220), (250, 215, 160), (200, 165, 60), (180, 50, 40), (255, 236, 180)
    ),
    "festive": Palette((30, 40, 90), (90, 60, 120), (70, 60, 60), (230, 40, 40), (250, 230, 160)),
}


def _sky(draw: ImageDraw.ImageDraw, width: int, height: int, top: tuple, bottom: tuple) -> None:
    for y in range(height):
        t = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)


def _shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def _backdrop(p: Palette, horizon: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    width, height = SIZE
    image = Image.new("RGB", SIZE, p.ground)
    draw = ImageDraw.Draw(image)
    _sky(draw, width, horizon, p.sky_top, p.sky_bottom)
    if p.sun:
        draw.ellipse(
            [width * 0.75, horizon * 0.25, width * 0.75 + 140, horizon * 0.25 + 140], fill=p.sun
        )
    return image, draw


def _palm(draw: ImageDraw.ImageDraw, x: float, base: float, size: float, leaf: RGB) -> None:
    """A coconut palm: a leaning trunk and a fan of leaves."""
    top = (x + size * 0.15, base - size)
    draw.line([(x, base), top], fill=(110, 80, 50), width=max(4, int(size / 22)))
    for dx, dy in (
        (-1, 0.2),
        (-0.7, -0.35),
        (0, -0.5),
        (0.7, -0.35),
        (1, 0.2),
        (0.4, 0.45),
        (-0.4, 0.45),
    ):
        end = (top[0] + dx * size * 0.45, top[1] + dy * size * 0.35)
        draw.line([top, end], fill=leaf, width=max(5, int(size / 16)))


def _tree(
    draw: ImageDraw.ImageDraw,
    x: float,
    base: float,
    size: float,
    leaf: RGB,
    fruit: RGB | None,
    rng: random.Random,
) -> None:
    draw.rectangle([x - size * 0.06, base - size * 0.5, x + size * 0.06, base], fill=(100, 70, 45))
    draw.ellipse(
        [x - size * 0.45, base - size * 1.1, x + size * 0.45, base - size * 0.35], fill=leaf
    )
    if fruit:
        for _ in range(7):
            fx = x + rng.uniform(-0.3, 0.3) * size
            fy = base - size * rng.uniform(0.5, 0.95)
            draw.ellipse(
                [fx - size * 0.05, fy - size * 0.05, fx + size * 0.05, fy + size * 0.05], fill=fruit
            )


def fields(p: Palette, rng: random.Random) -> Image.Image:
    """Paddies in bands to the horizon, a canal across, palms on the far bank."""
    width, height = SIZE
    horizon = rng.randrange(340, 460)
    image, draw = _backdrop(p, horizon)
    row, band = horizon, 0
    while row < height:
        step = 12 + (row - horizon) // 5
        draw.rectangle([0, row, width, row + step], fill=_shade(p.ground, 0.9 + 0.12 * (band % 2)))
        row, band = row + step, band + 1
    canal = horizon + rng.randrange(60, 140)
    draw.polygon(
        [(0, canal), (width, canal - 30), (width, canal), (0, canal + 40)], fill=(120, 160, 180)
    )
    for i in range(rng.randrange(4, 8)):
        _palm(
            draw,
            80 + i * width / 7 + rng.randrange(60),
            horizon + 8,
            rng.randrange(90, 150),
            (50, 110, 50),
        )
    return image


def river(p: Palette, rng: random.Random) -> Image.Image:
    """A wide brown river, boats on it, a green bank with houses and palms."""
    width, height = SIZE
    horizon = rng.randrange(380, 480)
    image, draw = _backdrop(p, horizon)
    draw.rectangle([0, horizon, width, horizon + 70], fill=p.ground)
    for i in range(5):
        x = 120 + i * 320 + rng.randrange(80)
        draw.rectangle([x, horizon - 40, x + 90, horizon + 10], fill=(235, 225, 205))
        draw.polygon(
            [(x - 15, horizon - 40), (x + 45, horizon - 85), (x + 105, horizon - 40)], fill=p.accent
        )
        _palm(draw, x + 150, horizon + 20, 130, (45, 105, 45))
    water = (170, 130, 85) if rng.random() < 0.6 else (110, 140, 150)
    draw.rectangle([0, horizon + 70, width, height], fill=water)
    for y in range(horizon + 100, height, 45):
        draw.line(
            [(rng.randrange(width), y), (rng.randrange(width), y)],
            fill=_shade(water, 1.12),
            width=4,
        )
    for _ in range(rng.randrange(2, 5)):
        x, y = rng.randrange(100, width - 300), rng.randrange(horizon + 140, height - 120)
        draw.polygon([(x, y), (x + 260, y), (x + 220, y + 50), (x + 30, y + 50)], fill=(90, 60, 40))
        draw.rectangle([x + 70, y - 45, x + 170, y], fill=_shade(p.accent, 0.8))
    return image


# (roof, wall, window grid, emblem): the building kinds a provincial portal shows
BUILDINGS = {
    "hall": ((170, 40, 40), (245, 225, 160), (6, 2), "star"),
    "school": ((200, 80, 50), (245, 215, 120), (8, 2), "flag"),
    "clinic": ((60, 110, 170), (240, 240, 240), (6, 2), "cross"),
    "office": ((120, 120, 130), (225, 225, 215), (9, 3), "flag"),
}


def building(p: Palette, rng: random.Random, kind: str = "hall") -> Image.Image:
    """A public building front on: meeting hall, school, clinic or office, with its yard."""
    width, height = SIZE
    roof, wall, (cols, rows), emblem = BUILDINGS[kind]
    horizon = 640
    image, draw = _backdrop(p, horizon)
    left, right = 260 + rng.randrange(-60, 60), 1340 + rng.randrange(-60, 60)
    top = horizon - 120 - rows * 110
    draw.rectangle([left, top, right, horizon], fill=wall)
    draw.polygon([(left - 50, top), ((left + right) / 2, top - 140), (right + 50, top)], fill=roof)
    pane = (right - left) / cols
    for c in range(cols):
        for r in range(rows):
            x, y = left + c * pane + pane * 0.25, top + 40 + r * 110
            draw.rectangle([x, y, x + pane * 0.5, y + 60], fill=(90, 130, 160))
    door = (left + right) / 2
    draw.rectangle([door - 60, horizon - 120, door + 60, horizon], fill=(110, 70, 40))
    cx, cy = door, top - 60
    if emblem == "star":
        draw.ellipse([cx - 40, cy - 40, cx + 40, cy + 40], fill=(230, 190, 40))
    elif emblem == "cross":
        draw.rectangle([cx - 12, cy - 40, cx + 12, cy + 40], fill=(220, 40, 40))
        draw.rectangle([cx - 40, cy - 12, cx + 40, cy + 12], fill=(220, 40, 40))
    else:
        draw.line([(right + 120, horizon), (right + 120, top - 60)], fill=(90, 90, 90), width=8)
        draw.rectangle([right + 124, top - 60, right + 244, top + 10], fill=(220, 30, 30))
    draw.rectangle([0, horizon, width, height], fill=(200, 195, 185))
    for i in range(rng.randrange(3, 6)):
        x = 60 + i * 360 + rng.randrange(60)
        _tree(
            draw,
            x if x < left - 40 or x > right + 260 else x + 0,
            height - 40,
            220,
            (60, 130, 60),
            None,
            rng,
        )
    return image


def market(p: Palette, rng: random.Random) -> Image.Image:
    """A row of stalls under striped awnings, baskets of fruit in front."""
    width, height = SIZE
    horizon = 520
    image, draw = _backdrop(p, horizon)
    draw.rectangle([0, horizon, width, height], fill=(190, 175, 150))
    fruit = [(240, 180, 40), (230, 90, 40), (120, 180, 60), (200, 40, 70), (250, 210, 90)]
    stall = width / 4
    for i in range(4):
        x = i * stall + 30
        draw.rectangle([x, horizon - 60, x + stall - 60, horizon + 260], fill=(150, 110, 70))
        for s in range(6):
            colour = p.accent if s % 2 == 0 else (245, 240, 230)
            sx = x - 20 + s * (stall - 20) / 6
            draw.polygon(
                [
                    (sx, horizon - 160),
                    (sx + (stall - 20) / 6, horizon - 160),
                    (sx + (stall - 20) / 6 + 10, horizon - 60),
                    (sx + 10, horizon - 60),
                ],
                fill=colour,
            )
        for b in range(3):
            bx, by = x + 40 + b * 110, horizon + 300
            draw.ellipse([bx, by, bx + 100, by + 60], fill=(170, 130, 70))
            tint = rng.choice(fruit)
            for _ in range(6):
                fx, fy = bx + rng.randrange(10, 80), by - rng.randrange(0, 30)
                draw.ellipse([fx, fy, fx + 26, fy + 26], fill=tint)
    return image


def festival(p: Palette, rng: random.Random) -> Image.Image:
    """A stage with strings of lanterns and flags over a crowd."""
    width, height = SIZE
    horizon = 620
    image, draw = _backdrop(p, horizon)
    draw.rectangle([0, horizon, width, height], fill=p.ground)
    draw.rectangle([420, 300, 1180, horizon], fill=_shade(p.accent, 0.7))
    draw.rectangle([460, 340, 1140, horizon - 40], fill=(250, 220, 120))
    for line in range(3):
        y0 = 80 + line * 90
        for i in range(17):
            x = i * 100
            y = y0 + 40 * abs(((i % 8) - 4) / 4)
            colour = (p.accent, (250, 200, 40), (240, 240, 240))[(i + line) % 3]
            draw.ellipse([x + 20, y, x + 60, y + 50], fill=colour)
    for _ in range(120):
        x, y = rng.randrange(width), rng.randrange(horizon + 40, height)
        r = 18 + (y - horizon) // 12
        draw.ellipse([x - r, y - r, x + r, y + r], fill=_shade((60, 50, 50), rng.uniform(0.6, 1.4)))
    return image


def road(p: Palette, rng: random.Random, bridge: bool = False) -> Image.Image:
    """A new road running to the horizon, or a bridge arching over a river."""
    width, height = SIZE
    horizon = 480
    image, draw = _backdrop(p, horizon)
    if bridge:
        draw.rectangle([0, horizon, width, height], fill=(150, 130, 95))
        draw.arc(
            [-200, horizon - 300, width + 200, horizon + 500],
            200,
            340,
            fill=(235, 235, 235),
            width=40,
        )
        deck = horizon - 40
        draw.rectangle([0, deck, width, deck + 30], fill=(120, 120, 125))
        for x in range(80, width, 140):
            draw.line([(x, deck), (x, deck + 300)], fill=(200, 200, 200), width=14)
        for _ in range(3):
            x = rng.randrange(100, width - 200)
            draw.rectangle([x, deck - 40, x + 110, deck], fill=p.accent)
        return image
    draw.polygon(
        [
            (width / 2 - 30, horizon),
            (width / 2 + 30, horizon),
            (width - 150, height),
            (150, height),
        ],
        fill=(80, 80, 85),
    )
    for y in range(horizon + 20, height, 70):
        half = 4 + (y - horizon) / 30
        draw.rectangle(
            [width / 2 - half, y, width / 2 + half, y + 20 + (y - horizon) / 12],
            fill=(245, 235, 200),
        )
    for side in (-1, 1):
        for i in range(6):
            t = (i + 1) / 7
            tx = width / 2 + side * (60 + t * 700)
            _tree(
                draw, tx, horizon + t * (height - horizon), 60 + t * 260, (60, 140, 70), None, rng
            )
    return image


def orchard(p: Palette, rng: random.Random, fruit: RGB = (240, 170, 40)) -> Image.Image:
    """Rows of fruit trees on raised beds between ditches."""
    width, height = SIZE
    horizon = 420
    image, draw = _backdrop(p, horizon)
    for row in range(4):
        y = horizon + 60 + row * 150
        draw.rectangle([0, y + 20, width, y + 60], fill=(110, 150, 160))
        size = 120 + row * 60
        for i in range(9 - row):
            _tree(
                draw,
                60 + i * width / (8 - row) + rng.randrange(40),
                y + 20,
                size,
                (50, 125, 50),
                fruit,
                rng,
            )
    return image


def classroom(p: Palette, rng: random.Random) -> Image.Image:
    """A blackboard and rows of desks, seen from the back of the room."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, (240, 230, 205))
    draw = ImageDraw.Draw(image)
    draw.rectangle([300, 120, 1300, 480], fill=(40, 80, 60), outline=(140, 100, 60), width=16)
    for i in range(4):
        y = 200 + i * 60
        draw.line([(360, y), (360 + rng.randrange(400, 850), y)], fill=(230, 230, 220), width=6)
    draw.rectangle([0, 600, width, height], fill=(180, 150, 110))
    for row in range(3):
        y = 620 + row * 120
        for i in range(4):
            x = 120 + i * 380 + row * 20
            draw.rectangle([x, y, x + 260, y + 40], fill=(150, 100, 60))
            draw.ellipse([x + 60, y - 90, x + 130, y - 20], fill=(40, 30, 30))
            draw.rectangle([x + 50, y - 30, x + 140, y + 10], fill=(245, 245, 250))
            draw.ellipse([x + 160, y - 80, x + 230, y - 10], fill=(50, 35, 30))
            draw.rectangle([x + 150, y - 20, x + 240, y + 10], fill=p.accent)
    return image


def rice_field(width: int = 1800, height: int = 1200) -> bytes:
    """Golden rice under an evening sky, rows running to the horizon (tests use it as a photo)."""
    return _jpeg(_rice(width, height))


def lotus_pond(width: int = 1800, height: int = 1200) -> bytes:
    """Pink lotus flowers over green leaves on still water."""
    return _jpeg(_lotus(width, height))


def _rice(width: int, height: int) -> Image.Image:
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
    return image


def _lotus(width: int, height: int) -> Image.Image:
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
    return image


Scene = Callable[[Palette, random.Random], Image.Image]
SCENES: dict[str, Scene] = {
    "fields": fields,
    "river": river,
    "hall": lambda p, rng: building(p, rng, "hall"),
    "school": lambda p, rng: building(p, rng, "school"),
    "clinic": lambda p, rng: building(p, rng, "clinic"),
    "office": lambda p, rng: building(p, rng, "office"),
    "market": market,
    "festival": festival,
    "road": road,
    "bridge": lambda p, rng: road(p, rng, bridge=True),
    "orchard": orchard,
    "mango": lambda p, rng: orchard(p, rng, (250, 200, 60)),
    "citrus": lambda p, rng: orchard(p, rng, (240, 110, 40)),
    "flowers": lambda p, rng: orchard(p, rng, (235, 90, 150)),
    "classroom": classroom,
    "rice_field": lambda p, rng: _rice(*SIZE),  # the first demo's two pictures, kept as they were
    "lotus_pond": lambda p, rng: _lotus(*SIZE),
}


def draw(scene: str, palette: str = "noon", seed: int = 0, size: tuple[int, int] = SIZE) -> bytes:
    """The JPEG of one scene at `size`; KeyError names an unknown scene or palette."""
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    image = SCENES[scene](PALETTES[palette], rng)
    if image.size != size:
        image = image.resize(size, Image.Resampling.BOX)
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
