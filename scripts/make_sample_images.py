"""Regenerate the sample photos of the fictional bulletin 《青川人大》.

Run from anywhere:  .venv/bin/python scripts/make_sample_images.py

Every picture is drawn procedurally with Pillow (a meeting room, an assembly hall, buildings, a farmland,
groups of people), from a fixed seed, so the same Pillow version always writes the same bytes. The photos are
2400 x 1600 px JPEGs (quality 82, 300 dpi): wide enough to print 170 mm wide at 300 dpi, and well under
400 KB each.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

CONTENT = Path(__file__).resolve().parent.parent / "content"  # the sample content tree
WIDTH, HEIGHT = 2400, 1600  # final size
SS = 2  # drawn at twice the size, then downsampled: cheap anti-aliasing
W, H = WIDTH * SS, HEIGHT * SS
QUALITY = 82
DPI = (300, 300)

Color = tuple[int, int, int]


# ----------------------------------------------------------------------------------------------------------
# small helpers


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def jitter(c: Color, rng: random.Random, amount: int = 12) -> Color:
    return tuple(max(0, min(255, v + rng.randint(-amount, amount))) for v in c)  # type: ignore[return-value]


def vertical_gradient(img: Image.Image, box: tuple[int, int, int, int], top: Color, bottom: Color) -> None:
    x0, y0, x1, y1 = box
    d = ImageDraw.Draw(img)
    span = max(1, y1 - y0)
    for y in range(y0, y1):
        d.line([(x0, y), (x1, y)], fill=mix(top, bottom, (y - y0) / span))


def soft_layer(
    img: Image.Image, paint: Callable[[ImageDraw.ImageDraw], None], color: Color, blur: float, opacity: float
) -> None:
    """Paint shapes into a mask, blur it, and lay `color` over `img` through it (clouds, haze)."""
    mask = Image.new("L", img.size, 0)
    paint(ImageDraw.Draw(mask))
    mask = mask.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: round(v * opacity))
    img.paste(Image.new("RGB", img.size, color), (0, 0), mask)


def sky(img: Image.Image, rng: random.Random, horizon: int, top: Color, bottom: Color, clouds: int) -> None:
    vertical_gradient(img, (0, 0, W, horizon), top, bottom)

    def paint(d: ImageDraw.ImageDraw) -> None:
        for _ in range(clouds):
            cx, cy = rng.randint(-200, W + 200), rng.randint(80, int(horizon * 0.6))
            w = rng.randint(500, 1300)
            for _ in range(rng.randint(5, 9)):
                dx, dy = rng.randint(-w // 2, w // 2), rng.randint(-90, 60)
                r = rng.randint(120, 260)
                d.ellipse([cx + dx - r * 1.6, cy + dy - r, cx + dx + r * 1.6, cy + dy + r * 0.7], fill=255)

    soft_layer(img, paint, (252, 252, 255), blur=40, opacity=0.85)


def tree(
    d: ImageDraw.ImageDraw, rng: random.Random, x: float, ground: float, size: float, green: Color
) -> None:
    d.rectangle([x - size * 0.06, ground - size * 0.9, x + size * 0.06, ground], fill=(92, 70, 52))
    for _ in range(14):
        dx = rng.uniform(-0.45, 0.45) * size
        dy = rng.uniform(-1.45, -0.75) * size
        r = rng.uniform(0.22, 0.36) * size
        d.ellipse([x + dx - r, ground + dy - r, x + dx + r, ground + dy + r], fill=jitter(green, rng, 18))


def person(
    d: ImageDraw.ImageDraw,
    rng: random.Random,
    x: float,
    feet: float,
    h: float,
    coat: Color,
    back: bool = False,
    trousers: Color = (48, 50, 58),
) -> None:
    """A standing figure, seen from the front (or from behind), feet at (x, feet), height h."""
    skin = jitter((226, 188, 160), rng, 10)
    hair = jitter((32, 28, 28), rng, 8) if rng.random() > 0.2 else (150, 150, 152)
    head_r = h * 0.068
    head_y = feet - h + head_r
    shoulder_y = head_y + head_r * 1.55
    hip_y = feet - h * 0.42
    coat_bottom = feet - h * (0.30 if rng.random() < 0.5 else 0.40)
    sw = h * 0.135  # half shoulder width
    d.ellipse([x - h * 0.16, feet - h * 0.018, x + h * 0.16, feet + h * 0.018], fill=(0, 0, 0, 60))
    leg_w = h * 0.045
    for side in (-1, 1):
        lx = x + side * h * 0.05
        d.polygon(
            [
                (lx - leg_w, hip_y),
                (lx + leg_w, hip_y),
                (lx + leg_w * 0.9, feet - h * 0.02),
                (lx - leg_w * 0.9, feet - h * 0.02),
            ],
            fill=trousers,
        )
        d.ellipse([lx - leg_w * 1.3, feet - h * 0.04, lx + leg_w * 1.3, feet + h * 0.005], fill=(30, 28, 28))
    # torso and arms
    d.polygon(
        [
            (x - sw * 0.55, shoulder_y - h * 0.012),
            (x + sw * 0.55, shoulder_y - h * 0.012),
            (x + sw, shoulder_y + h * 0.02),
            (x + sw * 0.92, coat_bottom),
            (x - sw * 0.92, coat_bottom),
            (x - sw, shoulder_y + h * 0.02),
        ],
        fill=coat,
    )
    arm = mix(coat, (0, 0, 0), 0.12)
    for side in (-1, 1):
        ax = x + side * sw
        d.polygon(
            [
                (ax - side * h * 0.01, shoulder_y + h * 0.02),
                (ax + side * h * 0.05, shoulder_y + h * 0.05),
                (ax + side * h * 0.04, hip_y + h * 0.04),
                (ax - side * h * 0.02, hip_y + h * 0.04),
            ],
            fill=arm,
        )
        d.ellipse(
            [
                ax + side * h * 0.01 - h * 0.025,
                hip_y + h * 0.03,
                ax + side * h * 0.01 + h * 0.025,
                hip_y + h * 0.08,
            ],
            fill=skin,
        )
    if not back:  # collar and shirt
        d.polygon(
            [
                (x - sw * 0.3, shoulder_y - h * 0.01),
                (x + sw * 0.3, shoulder_y - h * 0.01),
                (x, shoulder_y + h * 0.12),
            ],
            fill=(236, 236, 232),
        )
    # neck, head, hair
    d.rectangle(
        [x - head_r * 0.42, head_y + head_r * 0.6, x + head_r * 0.42, shoulder_y],
        fill=mix(skin, (0, 0, 0), 0.1),
    )
    d.ellipse(
        [x - head_r * 0.9, head_y - head_r, x + head_r * 0.9, head_y + head_r], fill=hair if back else skin
    )
    if not back:
        d.chord(
            [x - head_r * 0.95, head_y - head_r * 1.08, x + head_r * 0.95, head_y + head_r * 0.5],
            180,
            360,
            fill=hair,
        )


def seated_from_behind(
    d: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, s: float, coat: Color
) -> None:
    """Head and shoulders of someone seated, seen from behind; (x, y) is the middle of the shoulders."""
    hair = jitter((34, 30, 30), rng, 10) if rng.random() > 0.25 else jitter((140, 140, 142), rng, 10)
    d.rounded_rectangle([x - s * 0.55, y - s * 0.08, x + s * 0.55, y + s * 0.9], radius=s * 0.25, fill=coat)
    d.ellipse([x - s * 0.2, y - s * 0.58, x + s * 0.2, y - s * 0.04], fill=hair)


# ----------------------------------------------------------------------------------------------------------
# perspective rooms


class Camera:
    """A pinhole camera at height `eye` looking along +z; screen centre (cx, cy)."""

    def __init__(self, f: float, eye: float, cx: float, cy: float) -> None:
        self.f, self.eye, self.cx, self.cy = f, eye, cx, cy

    def p(self, x: float, y: float, z: float) -> tuple[float, float]:
        return (self.cx + self.f * x / z, self.cy + self.f * (self.eye - y) / z)

    def quad(self, pts: list[tuple[float, float, float]]) -> list[tuple[float, float]]:
        return [self.p(*q) for q in pts]


def room_shell(
    img: Image.Image,
    cam: Camera,
    half_w: float,
    height: float,
    depth: float,
    wall: Color,
    floor: Color,
    ceiling: Color,
) -> None:
    d = ImageDraw.Draw(img)
    near = 0.6
    d.polygon(
        cam.quad(
            [
                (-half_w, height, near),
                (half_w, height, near),
                (half_w, height, depth),
                (-half_w, height, depth),
            ]
        ),
        fill=ceiling,
    )
    d.polygon(
        cam.quad([(-half_w, 0, near), (half_w, 0, near), (half_w, 0, depth), (-half_w, 0, depth)]), fill=floor
    )
    side = mix(wall, (0, 0, 0), 0.08)
    d.polygon(
        cam.quad(
            [(-half_w, 0, near), (-half_w, height, near), (-half_w, height, depth), (-half_w, 0, depth)]
        ),
        fill=side,
    )
    d.polygon(
        cam.quad([(half_w, 0, near), (half_w, height, near), (half_w, height, depth), (half_w, 0, depth)]),
        fill=side,
    )
    d.polygon(
        cam.quad(
            [(-half_w, 0, depth), (half_w, 0, depth), (half_w, height, depth), (-half_w, height, depth)]
        ),
        fill=wall,
    )
    # skirting and ceiling light panels
    skirting = mix(wall, (60, 40, 30), 0.5)
    d.polygon(
        cam.quad([(-half_w, 0, depth), (half_w, 0, depth), (half_w, 0.12, depth), (-half_w, 0.12, depth)]),
        fill=skirting,
    )
    for z in [1.6 + 1.5 * i for i in range(int((depth - 2) / 1.5))]:
        for x in (-half_w * 0.5, 0, half_w * 0.5):
            d.polygon(
                cam.quad(
                    [
                        (x - 0.35, height, z),
                        (x + 0.35, height, z),
                        (x + 0.35, height, z + 0.7),
                        (x - 0.35, height, z + 0.7),
                    ]
                ),
                fill=(250, 248, 236),
            )


def banner(d: ImageDraw.ImageDraw, rng: random.Random, box: list[tuple[float, float]], n_chars: int) -> None:
    """A red banner (quadrilateral) with a row of pale-gold blocks standing in for characters."""
    d.polygon(box, fill=(178, 28, 32))
    (x0, y0), (x1, _), (_, y2) = box[0], box[1], box[2]
    height = y2 - y0
    step = (x1 - x0) / (n_chars + 2)
    for i in range(n_chars):
        cx = x0 + step * (i + 1.5)
        s = min(step * 0.36, height * 0.3)
        d.rectangle([cx - s, y0 + height / 2 - s, cx + s, y0 + height / 2 + s], fill=(246, 214, 120))
        # a couple of strokes inside each block so it reads as lettering, not a bar
        d.line(
            [(cx - s * 0.7, y0 + height / 2), (cx + s * 0.7, y0 + height / 2)],
            fill=(178, 28, 32),
            width=max(2, int(s * 0.18)),
        )
        if rng.random() < 0.7:
            d.line(
                [(cx, y0 + height / 2 - s * 0.7), (cx, y0 + height / 2 + s * 0.7)],
                fill=(178, 28, 32),
                width=max(2, int(s * 0.16)),
            )


def meeting_room(seed: int) -> Image.Image:
    """A meeting room: a long table in perspective, participants down both sides, banner, screen."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H), (230, 226, 214))
    cam = Camera(f=W * 0.36, eye=1.55, cx=W * 0.5, cy=H * 0.46)
    half_w, height, depth = 4.2, 3.3, 9.0
    room_shell(
        img, cam, half_w, height, depth, wall=(232, 226, 210), floor=(120, 62, 58), ceiling=(238, 236, 230)
    )
    d = ImageDraw.Draw(img, "RGBA")
    # windows with curtains on the right wall
    for z0 in (2.2, 4.4, 6.6):
        win = cam.quad(
            [(half_w, 0.9, z0), (half_w, 2.6, z0), (half_w, 2.6, z0 + 1.4), (half_w, 0.9, z0 + 1.4)]
        )
        d.polygon(win, fill=(196, 220, 236))
        for zc, w in ((z0, 0.28), (z0 + 1.12, 0.28)):
            d.polygon(
                cam.quad(
                    [
                        (half_w - 0.02, 0.85, zc),
                        (half_w - 0.02, 2.7, zc),
                        (half_w - 0.02, 2.7, zc + w),
                        (half_w - 0.02, 0.85, zc + w),
                    ]
                ),
                fill=(150, 44, 44),
            )
    # back wall: banner, screen, plants
    banner(
        d, rng, cam.quad([(-2.8, 3.0, depth), (2.8, 3.0, depth), (2.8, 2.55, depth), (-2.8, 2.55, depth)]), 14
    )
    d.polygon(
        cam.quad([(-1.5, 2.35, depth), (1.5, 2.35, depth), (1.5, 0.75, depth), (-1.5, 0.75, depth)]),
        fill=(38, 70, 120),
    )
    d.polygon(
        cam.quad([(-1.4, 2.25, depth), (1.4, 2.25, depth), (1.4, 0.85, depth), (-1.4, 0.85, depth)]),
        fill=(70, 120, 176),
    )
    for i in range(4):
        y = 2.0 - i * 0.28
        d.polygon(
            cam.quad(
                [
                    (-1.1, y, depth),
                    (1.1 - 0.4 * (i % 2), y, depth),
                    (1.1 - 0.4 * (i % 2), y - 0.1, depth),
                    (-1.1, y - 0.1, depth),
                ]
            ),
            fill=(220, 232, 244),
        )
    for x in (-3.6, 3.6):
        base = cam.p(x, 0, depth - 0.4)
        s = cam.f / (depth - 0.4)
        d.rectangle([base[0] - 0.18 * s, base[1] - 0.45 * s, base[0] + 0.18 * s, base[1]], fill=(120, 84, 60))
        tree(d, rng, base[0], base[1] - 0.2 * s, 0.9 * s, (58, 118, 62))
    # participants and chairs, far to near, both sides; the chair at the head of the table
    table_near, table_far, table_half, table_y = 1.9, 7.4, 0.85, 0.76
    coats = [(38, 44, 58), (52, 56, 64), (30, 36, 50), (70, 72, 78), (92, 60, 56), (44, 58, 78)]
    zs = [table_far - 0.45 - 0.85 * i for i in range(7)]
    head = cam.p(0, 0, table_far + 0.55)
    s = cam.f / (table_far + 0.55)
    d.rounded_rectangle(
        [head[0] - 0.3 * s, head[1] - 1.25 * s, head[0] + 0.3 * s, head[1] - 0.45 * s],
        radius=0.08 * s,
        fill=(60, 40, 36),
    )
    seated_from_behind(d, rng, head[0], head[1] - 1.18 * s, 0.62 * s, rng.choice(coats))
    d.ellipse(
        [head[0] - 0.11 * s, head[1] - 1.62 * s, head[0] + 0.11 * s, head[1] - 1.38 * s], fill=(222, 186, 158)
    )
    for z in zs:
        for side in (-1, 1):
            x_chair = side * (table_half + 0.5)
            chair = (88, 48, 42)
            d.polygon(
                cam.quad(
                    [
                        (x_chair + side * 0.08, 0.45, z - 0.24),
                        (x_chair + side * 0.08, 1.12, z - 0.24),
                        (x_chair + side * 0.08, 1.12, z + 0.24),
                        (x_chair + side * 0.08, 0.45, z + 0.24),
                    ]
                ),
                fill=chair,
            )
            if rng.random() < 0.85:
                coat = rng.choice(coats)
                xb = side * (table_half + 0.36)
                d.polygon(
                    cam.quad(
                        [
                            (xb, 0.72, z - 0.2),
                            (xb, 1.2, z - 0.18),
                            (xb, 1.24, z + 0.02),
                            (xb, 1.2, z + 0.2),
                            (xb, 0.72, z + 0.2),
                        ]
                    ),
                    fill=coat,
                )
                hx, hy = cam.p(xb - side * 0.04, 1.37, z)
                r = 0.11 * cam.f / z
                d.ellipse(
                    [hx - r * 0.85, hy - r, hx + r * 0.85, hy + r], fill=jitter((224, 188, 160), rng, 8)
                )
                d.chord(
                    [hx - r * 0.9, hy - r * 1.05, hx + r * 0.9, hy + r * 0.4], 180, 360, fill=(36, 32, 32)
                )
    # the table: top, front face, cloth, name cards, cups, microphones
    top = cam.quad(
        [
            (-table_half, table_y, table_near),
            (table_half, table_y, table_near),
            (table_half, table_y, table_far),
            (-table_half, table_y, table_far),
        ]
    )
    d.polygon(
        cam.quad(
            [
                (-table_half, 0, table_near),
                (table_half, 0, table_near),
                (table_half, table_y, table_near),
                (-table_half, table_y, table_near),
            ]
        ),
        fill=(96, 58, 38),
    )
    d.polygon(top, fill=(138, 88, 56))
    d.polygon(
        cam.quad(
            [
                (-0.35, table_y + 0.001, table_near + 0.2),
                (0.35, table_y + 0.001, table_near + 0.2),
                (0.35, table_y + 0.001, table_far - 0.2),
                (-0.35, table_y + 0.001, table_far - 0.2),
            ]
        ),
        fill=(64, 112, 84),
    )
    for i in range(6):  # flower arrangements along the centre
        z = table_near + 0.8 + i * 0.95
        fx, fy = cam.p(0, table_y + 0.12, z)
        r = 0.16 * cam.f / z
        for _ in range(6):
            ox, oy = rng.uniform(-r, r), rng.uniform(-r * 0.6, r * 0.3)
            d.ellipse(
                [fx + ox - r * 0.4, fy + oy - r * 0.4, fx + ox + r * 0.4, fy + oy + r * 0.4],
                fill=rng.choice([(214, 60, 70), (240, 200, 90), (250, 246, 240), (90, 150, 80)]),
            )
    for z in zs:
        for side in (-1, 1):
            xe = side * (table_half - 0.18)
            d.polygon(
                cam.quad(
                    [
                        (xe - 0.12, table_y, z - 0.01),
                        (xe + 0.12, table_y, z - 0.01),
                        (xe + 0.12, table_y + 0.1, z),
                        (xe - 0.12, table_y + 0.1, z),
                    ]
                ),
                fill=(250, 250, 246),
            )
            cx, cy = cam.p(side * (table_half - 0.32), table_y + 0.06, z + 0.22)
            r = 0.045 * cam.f / z
            d.rectangle([cx - r, cy - r * 1.4, cx + r, cy + r * 0.6], fill=(252, 252, 252))
            d.ellipse([cx - r, cy - r * 1.7, cx + r, cy - r * 1.1], fill=(206, 170, 96))
            d.polygon(
                cam.quad(
                    [
                        (side * (table_half - 0.15), table_y, z - 0.16),
                        (side * (table_half - 0.5), table_y, z - 0.16),
                        (side * (table_half - 0.5), table_y, z + 0.06),
                        (side * (table_half - 0.15), table_y, z + 0.06),
                    ]
                ),
                fill=(244, 244, 238),
            )
    return img


def assembly_hall(seed: int) -> Image.Image:
    """A session hall: presidium on a rostrum under a red banner, rows of delegates seen from behind."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H), (220, 210, 196))
    cam = Camera(f=W * 0.42, eye=2.3, cx=W * 0.5, cy=H * 0.40)
    half_w, height, depth = 7.0, 5.0, 14.0
    room_shell(
        img, cam, half_w, height, depth, wall=(214, 196, 172), floor=(70, 86, 120), ceiling=(236, 232, 222)
    )
    d = ImageDraw.Draw(img, "RGBA")
    # stage curtain, banner, flags
    d.polygon(
        cam.quad([(-5.5, 4.6, depth), (5.5, 4.6, depth), (5.5, 0.9, depth), (-5.5, 0.9, depth)]),
        fill=(160, 26, 30),
    )
    for i in range(23):
        x = -5.5 + i * 0.5
        d.polygon(
            cam.quad([(x, 4.6, depth), (x + 0.08, 4.6, depth), (x + 0.08, 0.9, depth), (x, 0.9, depth)]),
            fill=(138, 20, 26),
        )
    banner(
        d,
        rng,
        cam.quad(
            [
                (-4.6, 4.45, depth - 0.05),
                (4.6, 4.45, depth - 0.05),
                (4.6, 3.95, depth - 0.05),
                (-4.6, 3.95, depth - 0.05),
            ]
        ),
        18,
    )
    for x in (-6.2, 6.2):
        d.polygon(
            cam.quad(
                [
                    (x - 0.3, 3.4, depth - 0.3),
                    (x + 0.3, 3.4, depth - 0.3),
                    (x + 0.3, 2.2, depth - 0.3),
                    (x - 0.3, 2.2, depth - 0.3),
                ]
            ),
            fill=(196, 32, 36),
        )
    # rostrum: two tiers of presidium
    for tier, (z, y) in enumerate(((depth - 1.4, 0.9), (depth - 2.6, 0.45))):
        d.polygon(
            cam.quad([(-5.2, y, z), (5.2, y, z), (5.2, y + 0.35, z), (-5.2, y + 0.35, z)]), fill=(120, 78, 52)
        )
        for i in range(15 - tier * 2):
            x = -4.7 + i * (9.4 / (14 - tier * 2))
            px, py = cam.p(x, y + 0.35, z + 0.25)
            s = cam.f / (z + 0.25)
            d.rounded_rectangle(
                [px - 0.22 * s, py - 0.42 * s, px + 0.22 * s, py + 0.02 * s],
                radius=0.1 * s,
                fill=rng.choice([(36, 40, 54), (50, 52, 60)]),
            )
            d.ellipse(
                [px - 0.1 * s, py - 0.68 * s, px + 0.1 * s, py - 0.42 * s],
                fill=jitter((222, 186, 158), rng, 8),
            )
        front = cam.quad(
            [(-5.4, 0, z - 0.02), (5.4, 0, z - 0.02), (5.4, y + 0.36, z - 0.02), (-5.4, y + 0.36, z - 0.02)]
        )
        d.polygon(front, fill=(238, 236, 230))
        d.polygon(
            cam.quad(
                [
                    (-5.4, y + 0.28, z - 0.03),
                    (5.4, y + 0.28, z - 0.03),
                    (5.4, y + 0.36, z - 0.03),
                    (-5.4, y + 0.36, z - 0.03),
                ]
            ),
            fill=(40, 110, 70),
        )
    # delegates' rows, far to near
    coats = [(34, 38, 52), (46, 50, 58), (28, 32, 44), (60, 62, 70), (40, 50, 70), (78, 46, 46)]
    for r in range(9):
        z = depth - 4.2 - r * 1.05
        y = 0.0
        d.polygon(
            cam.quad([(-6.2, y, z), (6.2, y, z), (6.2, y + 0.75, z), (-6.2, y + 0.75, z)]),
            fill=(150, 104, 70),
        )
        d.polygon(
            cam.quad(
                [
                    (-6.2, y + 0.75, z),
                    (6.2, y + 0.75, z),
                    (6.2, y + 0.75, z - 0.45),
                    (-6.2, y + 0.75, z - 0.45),
                ]
            ),
            fill=(176, 128, 88),
        )
        for i in range(16):
            x = -5.8 + i * 0.78 + (0.2 if r % 2 else 0)
            if abs(x) < 0.6:  # the centre aisle
                continue
            px, py = cam.p(x, 1.05, z - 0.75)
            s = cam.f / (z - 0.75)
            if rng.random() < 0.9:
                seated_from_behind(d, rng, px, py, 0.5 * s, rng.choice(coats))
            else:
                d.rounded_rectangle(
                    [px - 0.24 * s, py - 0.05 * s, px + 0.24 * s, py + 0.55 * s],
                    radius=0.06 * s,
                    fill=(150, 44, 48),
                )
    return img


# ----------------------------------------------------------------------------------------------------------
# outdoor scenes


def facade(
    d: ImageDraw.ImageDraw,
    rng: random.Random,
    box: tuple[float, float, float, float],
    floors: int,
    cols: int,
    wall: Color,
    glass: Color,
    trim: Color,
) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=wall)
    d.rectangle([x0 - 20, y0 - 40, x1 + 20, y0], fill=trim)
    fh = (y1 - y0) / floors
    cw = (x1 - x0) / cols
    for f in range(floors):
        d.rectangle([x0, y0 + f * fh - 6, x1, y0 + f * fh + 6], fill=mix(wall, trim, 0.5))
        for c in range(cols):
            wx0, wy0 = x0 + c * cw + cw * 0.2, y0 + f * fh + fh * 0.22
            wx1, wy1 = wx0 + cw * 0.6, wy0 + fh * 0.58
            g = jitter(glass, rng, 10)
            d.rectangle([wx0 - 8, wy0 - 8, wx1 + 8, wy1 + 8], fill=trim)
            d.rectangle([wx0, wy0, wx1, wy1], fill=g)
            d.polygon(
                [
                    (wx0, wy1),
                    (wx0 + (wx1 - wx0) * 0.5, wy0),
                    (wx0 + (wx1 - wx0) * 0.75, wy0),
                    (wx0 + (wx1 - wx0) * 0.25, wy1),
                ],
                fill=mix(g, (255, 255, 255), 0.28),
            )
            d.line([(wx0 + (wx1 - wx0) / 2, wy0), (wx0 + (wx1 - wx0) / 2, wy1)], fill=trim, width=6)


def flag(d: ImageDraw.ImageDraw, x: float, ground: float, h: float) -> None:
    d.rectangle([x - 9, ground - h, x + 9, ground], fill=(210, 210, 214))
    top = ground - h + 10
    fw, fh = h * 0.3, h * 0.2
    pts_top = [(x + fw * t, top + math.sin(t * 5) * fh * 0.08) for t in [i / 20 for i in range(21)]]
    pts_bot = [(px, py + fh) for px, py in reversed(pts_top)]
    d.polygon(pts_top + pts_bot, fill=(214, 30, 36))
    d.ellipse([x + fw * 0.1, top + fh * 0.12, x + fw * 0.22, top + fh * 0.3], fill=(250, 216, 60))


def public_building(seed: int, school: bool) -> Image.Image:
    """A front view of a public building with a plaza, flagpole and trees (a school if `school`)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H))
    ground = int(H * 0.74)
    sky(img, rng, ground, (96, 150, 214), (214, 230, 244), clouds=5)
    d = ImageDraw.Draw(img, "RGBA")
    # background blocks
    for x in range(-100, W, 420):
        h = rng.randint(500, 900)
        d.rectangle([x, ground - h, x + 380, ground], fill=mix((170, 186, 204), (214, 230, 244), 0.45))
    wall = (204, 110, 84) if school else (236, 230, 216)
    trim = (246, 244, 238) if school else (196, 186, 170)
    glass = (120, 160, 196)
    main = (W * 0.2, ground - H * 0.48, W * 0.8, ground - 60)
    facade(d, rng, main, floors=5, cols=12, wall=wall, glass=glass, trim=trim)
    for wing in (
        (W * 0.04, ground - H * 0.33, W * 0.2, ground - 60),
        (W * 0.8, ground - H * 0.33, W * 0.96, ground - 60),
    ):
        facade(d, rng, wing, floors=3, cols=3, wall=mix(wall, (0, 0, 0), 0.06), glass=glass, trim=trim)
    # entrance: portico, columns, steps
    ex0, ex1 = W * 0.42, W * 0.58
    d.rectangle([ex0 - 40, main[1] + 300, ex1 + 40, main[1] + 390], fill=trim)
    for i in range(6):
        cx = ex0 + i * (ex1 - ex0) / 5
        d.rectangle([cx - 26, main[1] + 390, cx + 26, ground - 60], fill=(246, 244, 240))
    d.rectangle([ex0 + 60, ground - 420, ex1 - 60, ground - 60], fill=(70, 84, 100))
    if school:  # a clock above the entrance
        d.ellipse(
            [W / 2 - 90, main[1] + 120, W / 2 + 90, main[1] + 300],
            fill=(250, 250, 250),
            outline=trim,
            width=14,
        )
        d.line([(W / 2, main[1] + 210), (W / 2, main[1] + 150)], fill=(40, 40, 40), width=10)
        d.line([(W / 2, main[1] + 210), (W / 2 + 50, main[1] + 230)], fill=(40, 40, 40), width=10)
    else:
        d.ellipse([W / 2 - 100, main[1] + 110, W / 2 + 100, main[1] + 290], fill=(212, 170, 70))
    for i in range(5):
        d.rectangle(
            [ex0 - 120 - i * 40, ground - 60 + i * 14, ex1 + 120 + i * 40, ground - 46 + i * 14],
            fill=mix((200, 200, 196), (150, 150, 146), i / 5),
        )
    # plaza and lawn
    vertical_gradient(img, (0, ground, W, H), (176, 172, 164), (140, 136, 130))
    d = ImageDraw.Draw(img, "RGBA")
    for i in range(14):
        y = ground + (H - ground) * (i / 14) ** 1.6
        d.line([(0, y), (W, y)], fill=(120, 116, 110, 90), width=4)
    d.polygon([(0, ground + 90), (W * 0.3, ground + 60), (W * 0.3, H), (0, H)], fill=(92, 150, 74))
    d.polygon([(W, ground + 90), (W * 0.7, ground + 60), (W * 0.7, H), (W, H)], fill=(92, 150, 74))
    flag(d, W * 0.5, ground + 200, 1250)
    for x in [W * 0.05 + i * W * 0.07 for i in range(4)] + [W * 0.74 + i * W * 0.07 for i in range(4)]:
        tree(
            d,
            rng,
            x + rng.randint(-30, 30),
            ground + 140 + rng.randint(0, 80),
            rng.randint(300, 380),
            (56, 120, 58),
        )
    if school:
        for i in range(6):
            person(
                d,
                rng,
                W * 0.36 + i * 170 + rng.randint(-30, 30),
                ground + 320 + rng.randint(0, 60),
                300,
                rng.choice([(40, 70, 140), (200, 60, 50), (60, 60, 70)]),
            )
    return img


def farmland(seed: int) -> Image.Image:
    """Farmland under a wide sky, distant hills, a farm road with deputies inspecting the fields."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H))
    horizon = int(H * 0.46)
    sky(img, rng, horizon, (76, 134, 206), (206, 224, 240), clouds=7)
    d = ImageDraw.Draw(img, "RGBA")
    for layer, (col, amp, base) in enumerate(
        (((132, 154, 170), 240, horizon - 20), ((98, 128, 110), 150, horizon))
    ):
        pts = [(0, H)]
        phase = rng.uniform(0, 6)
        for x in range(0, W + 80, 80):
            pts.append(
                (
                    x,
                    base
                    - amp * (0.55 + 0.45 * math.sin(x / (700 - layer * 220) + phase))
                    - rng.randint(0, 25),
                )
            )
        pts.append((W, H))
        d.polygon(pts, fill=col)
    vertical_gradient(img, (0, horizon, W, H), (126, 158, 70), (92, 138, 56))
    d = ImageDraw.Draw(img, "RGBA")
    # field plots in perspective: stripes converging to a vanishing point on the horizon
    vx, vy = W * 0.62, horizon - 40
    colors = [(118, 160, 62), (150, 176, 74), (196, 176, 98), (108, 150, 60)]
    for i in range(-40, 60):
        xa, xb = i * 140, (i + 1) * 140
        d.polygon([(vx, vy), (xa, H), (xb, H)], fill=colors[(i // 3) % len(colors)] + (255,))
    for i in range(-60, 90):  # furrows
        d.line([(vx, vy), (i * 70, H)], fill=(70, 100, 40, 60), width=3)
    # a haze band over the far fields
    vertical_gradient(img, (0, horizon - 40, W, horizon + 60), (170, 190, 190), (136, 166, 96))
    d = ImageDraw.Draw(img, "RGBA")
    # the farm road and an irrigation channel
    d.polygon([(vx - 6, vy + 40), (vx + 6, vy + 40), (W * 0.42, H), (W * 0.1, H)], fill=(196, 184, 160))
    d.polygon([(vx + 10, vy + 40), (vx + 16, vy + 40), (W * 0.56, H), (W * 0.48, H)], fill=(120, 150, 178))
    for i in range(7):  # power poles along the road
        t = (i + 1) / 8
        x = vx + (W * 0.05 - vx) * t**1.8
        y = vy + 40 + (H - vy - 40) * t**1.8
        h = 40 + 900 * t**1.8
        d.rectangle([x - 2 - h * 0.012, y - h, x + 2 + h * 0.012, y], fill=(90, 86, 80))
        d.rectangle([x - h * 0.12, y - h * 0.95, x + h * 0.12, y - h * 0.93], fill=(90, 86, 80))
    coats = [(30, 40, 60), (150, 40, 40), (50, 60, 70), (210, 180, 120), (40, 90, 140)]
    for i in range(6):
        person(
            d,
            rng,
            W * 0.18 + i * 150 + rng.randint(-40, 40),
            H * 0.86 + rng.randint(-40, 40),
            560 + rng.randint(-40, 40),
            rng.choice(coats),
        )
    person(d, rng, W * 0.31, H * 0.93, 620, (70, 110, 60), back=True)
    return img


def station_exterior(seed: int) -> Image.Image:
    """A two-storey community building with a red sign over the door: the deputies' liaison station."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H))
    ground = int(H * 0.78)
    sky(img, rng, ground, (110, 160, 220), (226, 236, 246), clouds=4)
    d = ImageDraw.Draw(img, "RGBA")
    for x in (W * 0.0, W * 0.78):  # neighbouring blocks
        facade(
            d,
            rng,
            (x, ground - H * 0.62, x + W * 0.22, ground),
            floors=7,
            cols=3,
            wall=(214, 206, 196),
            glass=(132, 160, 184),
            trim=(236, 232, 226),
        )
    body = (W * 0.2, ground - H * 0.44, W * 0.8, ground)
    facade(
        d,
        rng,
        (body[0], body[1], body[2], ground - H * 0.2),
        floors=1,
        cols=8,
        wall=(240, 236, 226),
        glass=(126, 166, 198),
        trim=(170, 150, 130),
    )
    d.rectangle([body[0], ground - H * 0.2, body[2], ground], fill=(226, 220, 208))
    d.rectangle([body[0] - 30, body[1] - 70, body[2] + 30, body[1]], fill=(120, 96, 80))
    banner(
        d,
        rng,
        [
            (W * 0.3, ground - H * 0.19),
            (W * 0.7, ground - H * 0.19),
            (W * 0.7, ground - H * 0.14),
            (W * 0.3, ground - H * 0.14),
        ],
        10,
    )
    d.rectangle([W * 0.43, ground - H * 0.13, W * 0.57, ground], fill=(90, 110, 128))
    d.rectangle([W * 0.435, ground - H * 0.125, W * 0.497, ground - 8], fill=(160, 196, 220))
    d.rectangle([W * 0.503, ground - H * 0.125, W * 0.565, ground - 8], fill=(160, 196, 220))
    for x0 in (W * 0.24, W * 0.62):
        d.rectangle([x0, ground - H * 0.13, x0 + W * 0.14, ground - H * 0.04], fill=(130, 170, 200))
    d.rectangle(
        [W * 0.3, ground - H * 0.12, W * 0.36, ground - H * 0.05], fill=(250, 250, 244)
    )  # notice board
    for i in range(5):
        d.line(
            [(W * 0.305, ground - H * 0.11 + i * 20), (W * 0.355, ground - H * 0.11 + i * 20)],
            fill=(120, 120, 120),
            width=5,
        )
    vertical_gradient(img, (0, ground, W, H), (168, 164, 156), (124, 120, 114))
    d = ImageDraw.Draw(img, "RGBA")
    d.rectangle([0, ground, W, ground + 24], fill=(200, 198, 192))
    for x in (W * 0.08, W * 0.9):
        tree(d, rng, x, ground + 40, 520, (60, 128, 66))
    coats = [(40, 44, 60), (170, 60, 50), (70, 90, 120), (60, 60, 64), (196, 170, 120)]
    for i, x in enumerate((W * 0.39, W * 0.46, W * 0.62, W * 0.68)):
        person(d, rng, x, ground + 150 + i * 25, 640, rng.choice(coats), back=i == 1)
    return img


def reception(seed: int) -> Image.Image:
    """Inside the liaison station: deputies at a table receive residents; banner and notice wall behind."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H))
    floor_y = int(H * 0.72)
    vertical_gradient(img, (0, 0, W, floor_y), (236, 232, 222), (222, 216, 204))
    vertical_gradient(img, (0, floor_y, W, H), (196, 180, 156), (160, 140, 116))
    d = ImageDraw.Draw(img, "RGBA")
    banner(
        d, rng, [(W * 0.16, H * 0.08), (W * 0.84, H * 0.08), (W * 0.84, H * 0.16), (W * 0.16, H * 0.16)], 12
    )
    for i in range(4):  # notice boards with photos and text lines
        x0 = W * 0.06 + i * W * 0.23
        d.rectangle(
            [x0, H * 0.22, x0 + W * 0.2, H * 0.44], fill=(250, 248, 242), outline=(170, 40, 40), width=14
        )
        d.rectangle([x0 + 40, H * 0.25, x0 + W * 0.08, H * 0.34], fill=jitter((150, 170, 190), rng, 30))
        for j in range(6):
            d.line(
                [(x0 + W * 0.09, H * 0.26 + j * 34), (x0 + W * 0.18, H * 0.26 + j * 34)],
                fill=(140, 140, 140),
                width=8,
            )
    d.rectangle([W * 0.9, H * 0.2, W * 0.98, floor_y], fill=(150, 110, 80))  # bookcase
    for j in range(5):
        y = H * 0.24 + j * 170
        d.rectangle([W * 0.905, y, W * 0.975, y + 12], fill=(110, 80, 60))
        for k in range(8):
            d.rectangle(
                [W * 0.908 + k * 36, y - 120, W * 0.908 + k * 36 + 28, y], fill=jitter((160, 60, 60), rng, 50)
            )
    coats = [(36, 42, 56), (52, 58, 70), (120, 50, 50), (70, 100, 130), (180, 150, 110), (60, 90, 70)]
    # deputies behind the table
    for x in (W * 0.3, W * 0.45, W * 0.6):
        seated_from_behind(d, rng, x, floor_y - 380, 420, rng.choice(coats[:2]))
        d.ellipse([x - 80, floor_y - 620, x + 80, floor_y - 420], fill=jitter((224, 188, 160), rng, 8))
        d.chord([x - 86, floor_y - 630, x + 86, floor_y - 500], 180, 360, fill=(34, 30, 30))
        d.polygon(
            [(x - 40, floor_y - 380), (x + 40, floor_y - 380), (x, floor_y - 300)], fill=(240, 240, 236)
        )
    d.rectangle([W * 0.2, floor_y - 220, W * 0.72, floor_y - 190], fill=(120, 80, 56))
    d.rectangle([W * 0.21, floor_y - 190, W * 0.71, floor_y + 120], fill=(140, 30, 34))  # table skirt
    for x in (W * 0.28, W * 0.42, W * 0.55):  # papers and cups on the table
        d.polygon(
            [(x, floor_y - 228), (x + 150, floor_y - 228), (x + 170, floor_y - 212), (x + 20, floor_y - 212)],
            fill=(252, 252, 250),
        )
        d.rectangle([x + 200, floor_y - 300, x + 250, floor_y - 220], fill=(250, 250, 250))
    d.rectangle([W * 0.64, floor_y - 300, W * 0.69, floor_y - 222], fill=(60, 130, 80))  # name plate stand
    # residents in front, some seen from behind
    for i, x in enumerate((W * 0.12, W * 0.78, W * 0.88)):
        person(d, rng, x, H * 0.98 - i * 30, 1120 - i * 60, rng.choice(coats[2:]), back=False)
    for x in (W * 0.36, W * 0.52):
        person(d, rng, x, H * 1.12, 1250, rng.choice(coats[2:]), back=True)
    return img


def square_meeting(seed: int) -> Image.Image:
    """An outdoor briefing on a village square: a deputy speaks, residents listen under the trees."""
    rng = random.Random(seed)
    img = Image.new("RGB", (W, H))
    ground = int(H * 0.58)
    sky(img, rng, ground, (120, 168, 222), (230, 236, 242), clouds=4)
    d = ImageDraw.Draw(img, "RGBA")
    # village houses: white walls, dark tiled roofs
    for i in range(6):
        x0 = -100 + i * 440 + rng.randint(-30, 30)
        top = ground - rng.randint(380, 520)
        d.rectangle([x0, top, x0 + 400, ground], fill=(240, 238, 230))
        d.polygon([(x0 - 40, top + 10), (x0 + 200, top - 150), (x0 + 440, top + 10)], fill=(70, 74, 82))
        for k in range(2):
            d.rectangle([x0 + 60 + k * 180, top + 120, x0 + 160 + k * 180, top + 230], fill=(110, 130, 146))
    vertical_gradient(img, (0, ground, W, H), (190, 180, 160), (150, 140, 120))
    d = ImageDraw.Draw(img, "RGBA")
    for x in (W * 0.06, W * 0.3, W * 0.72, W * 0.95):
        tree(d, rng, x, ground + 40, 560, (66, 130, 64))
    # a display board with a red header
    d.rectangle(
        [W * 0.55, ground - 360, W * 0.78, ground + 40],
        fill=(250, 248, 240),
        outline=(120, 120, 120),
        width=10,
    )
    banner(
        d,
        rng,
        [
            (W * 0.55, ground - 360),
            (W * 0.78, ground - 360),
            (W * 0.78, ground - 270),
            (W * 0.55, ground - 270),
        ],
        7,
    )
    for j in range(8):
        d.line(
            [(W * 0.57, ground - 230 + j * 34), (W * 0.76, ground - 230 + j * 34)],
            fill=(140, 140, 140),
            width=8,
        )
    d.rectangle([W * 0.57, ground + 40, W * 0.58, ground + 180], fill=(100, 100, 100))
    d.rectangle([W * 0.75, ground + 40, W * 0.76, ground + 180], fill=(100, 100, 100))
    coats = [
        (36, 42, 56),
        (150, 44, 44),
        (70, 100, 130),
        (190, 160, 110),
        (60, 90, 70),
        (90, 70, 110),
        (200, 120, 60),
    ]
    person(d, rng, W * 0.48, ground + 300, 760, (36, 42, 56))  # the deputy, facing the camera
    rows = [(ground + 620, 860, 9), (ground + 900, 1000, 7), (ground + 1250, 1150, 6)]
    for feet, h, n in rows:
        for i in range(n):
            x = W * (0.04 + 0.92 * (i + 0.5) / n) + rng.randint(-60, 60)
            if abs(x - W * 0.48) < 120 and feet < ground + 700:
                continue
            person(
                d, rng, x, feet + rng.randint(-30, 30), h + rng.randint(-60, 40), rng.choice(coats), back=True
            )
    return img


# ----------------------------------------------------------------------------------------------------------

PHOTOS: dict[str, Callable[[], Image.Image]] = {
    "2025/23/images/shicha-zuotanhui.jpg": lambda: meeting_room(2301),
    "2025/23/images/shicha-xuexiao.jpg": lambda: public_building(2302, school=True),
    "2025/24/images/gaobiaozhun-nongtian.jpg": lambda: farmland(2401),
    "2026/01/images/changweihui-huiyi.jpg": lambda: assembly_hall(2601),
    "2026/02/images/lianluozhan-waijing.jpg": lambda: station_exterior(2602),
    "2026/02/images/lianluozhan-jiedai.jpg": lambda: reception(2603),
    "2026/02/images/guangchang-xuanjiang.jpg": lambda: square_meeting(2604),
}


# Smaller photos that print side by side (half or third of the measure, still 300 dpi): (scene, size,
# crop box as fractions of the drawn scene, None for the whole picture).
ROW_PHOTOS: dict[str, tuple[Callable[[], Image.Image], tuple[int, int], tuple[float, ...] | None]] = {
    "2026/01/images/xiaozu-zuotan.jpg": (lambda: meeting_room(2611), (1200, 800), None),
    "2026/01/images/xiaozu-tianjian.jpg": (lambda: farmland(2612), (1200, 800), None),
    "2026/01/images/xiaozu-jiedai.jpg": (lambda: reception(2613), (900, 600), None),
    "2026/01/images/xiaozu-xuanjiang.jpg": (lambda: square_meeting(2614), (900, 600), None),
    "2026/01/images/xiaozu-zhanpai.jpg": (
        lambda: station_exterior(2615), (700, 1050), (0.3, 0.05, 0.7, 0.95)
    ),
}


def save(img: Image.Image, rel: str) -> None:
    out = CONTENT / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    img = img.filter(ImageFilter.UnsharpMask(radius=2, percent=40, threshold=2))
    img.save(out, "JPEG", quality=QUALITY, dpi=DPI, optimize=True)
    print(f"{rel}: {img.width}x{img.height}, {out.stat().st_size // 1024} KB")


def main() -> None:
    for rel, draw in PHOTOS.items():
        save(draw().resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS), rel)
    for rel, (draw, size, crop) in ROW_PHOTOS.items():
        img = draw()
        if crop:
            img = img.crop(tuple(round(f * n) for f, n in zip(crop, (W, H, W, H), strict=True)))
        save(img.resize(size, Image.Resampling.LANCZOS), rel)


if __name__ == "__main__":
    main()
