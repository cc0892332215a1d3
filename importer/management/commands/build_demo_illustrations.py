"""Write demo/images/*.png, the demo content's illustrations: one per topic and one of the
network for the home page.

Made by this project, under its licence: flat geometric drawings in the site's colours
(static/css/site.css), drawn with Pillow. Deterministic: the same code writes the same bytes,
so the committed files change only when the drawings do. `FOCAL_POINTS` is where each
drawing's subject is; demo/content.json gives Wagtail the same focal points.
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

OUTPUT = Path(__file__).resolve().parents[3] / "demo" / "images"
WIDTH, HEIGHT = 1280, 720
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without an anti-aliasing pass

# The site's colours (static/css/site.css) and two lighter ones of the same hues.
BRAND = "#0a5c44"
BRAND_DARK = "#063d2d"
TINT = "#e6f2ee"
LINK = "#0b4f8a"
SKY = "#dbe9f5"
SUN = "#ffbf47"
SAND = "#fff4d6"
GREY = "#c5ccd3"
SURFACE = "#f5f7f8"
WHITE = "#ffffff"
CORAL = "#e07a5f"

# Name: (x, y, width, height) of the subject, in pixels of the 1280x720 image.
FOCAL_POINTS = {
    "food-catering": (400, 160, 480, 440),
    "buildings-construction": (300, 120, 640, 480),
    "energy": (260, 100, 760, 500),
    "transport-mobility": (240, 250, 800, 330),
    "ict": (340, 150, 600, 420),
    "cleaning": (340, 160, 600, 440),
    "textiles-workwear": (420, 110, 440, 520),
    "furniture": (300, 180, 680, 420),
    "water-infrastructure": (160, 220, 960, 360),
    "health-care": (360, 110, 560, 500),
    "network": (200, 90, 880, 540),
}


class Canvas:
    """Drawing in the image's own pixels, at `SCALE` underneath."""

    def __init__(self, background):
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _scaled(points):
        return [v * SCALE for v in points]

    def rect(self, box, fill, radius=0):
        self.draw.rounded_rectangle(self._scaled(box), radius * SCALE, fill=fill)

    def ellipse(self, box, fill):
        self.draw.ellipse(self._scaled(box), fill=fill)

    def circle(self, x, y, r, fill):
        self.ellipse((x - r, y - r, x + r, y + r), fill)

    def polygon(self, points, fill):
        self.draw.polygon(self._scaled([v for point in points for v in point]), fill=fill)

    def line(self, points, fill, width):
        flat = self._scaled([v for point in points for v in point])
        self.draw.line(flat, fill=fill, width=width * SCALE, joint="curve")

    def arc(self, box, start, end, fill, width):
        self.draw.arc(self._scaled(box), start, end, fill=fill, width=width * SCALE)

    def pieslice(self, box, start, end, fill):
        self.draw.pieslice(self._scaled(box), start, end, fill=fill)

    def ground(self, colour=TINT, top=560):
        self.rect((0, top, WIDTH, HEIGHT), colour)

    def result(self):
        return self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def leaf(c, x, y, size, fill=BRAND):
    c.ellipse((x - size, y - size / 2.4, x + size, y + size / 2.4), fill)


def food_catering(c):
    c.ground()
    c.circle(640, 380, 210, WHITE)
    c.circle(640, 380, 160, TINT)
    c.circle(590, 350, 60, CORAL)
    c.circle(690, 420, 50, SUN)
    leaf(c, 640, 300, 55)
    leaf(c, 700, 340, 40, BRAND_DARK)
    c.rect((380, 230, 396, 530), GREY, 8)  # fork
    for x in (372, 386, 400):
        c.rect((x - 4, 200, x + 4, 280), GREY, 4)
    c.rect((884, 200, 904, 530), GREY, 10)  # knife
    c.circle(894, 210, 14, GREY)


def buildings_construction(c):
    c.ground()
    for x, top, colour in ((340, 260, BRAND), (520, 180, LINK), (700, 300, BRAND_DARK)):
        c.rect((x, top, x + 160, 560), colour, 6)
        for row in range(top + 30, 530, 60):
            for col in (x + 25, x + 95):
                c.rect((col, row, col + 40, row + 34), SAND, 4)
    c.rect((900, 140, 916, 560), SUN)  # crane
    c.rect((780, 130, 1020, 146), SUN)
    c.line([(1000, 146), (1000, 250)], GREY, 4)
    c.rect((980, 250, 1020, 280), GREY, 4)


def energy(c):
    c.rect((0, 0, WIDTH, 560), SKY)
    c.ground()
    c.circle(360, 220, 90, SUN)
    c.rect((744, 200, 760, 560), WHITE)  # wind turbine
    c.circle(752, 200, 18, GREY)
    c.polygon([(752, 200), (740, 70), (764, 70)], WHITE)
    c.polygon([(752, 200), (870, 250), (858, 272)], WHITE)
    c.polygon([(752, 200), (640, 262), (630, 240)], WHITE)
    c.polygon([(300, 520), (560, 520), (600, 420), (340, 420)], LINK)  # solar panel
    for i in range(1, 4):
        x = 340 + i * 65
        c.line([(x - 40, 520), (x, 420)], SKY, 3)
    c.line([(320, 470), (580, 470)], SKY, 3)


def transport_mobility(c):
    c.rect((0, 0, WIDTH, 520), SKY)
    c.rect((0, 520, WIDTH, HEIGHT), GREY)
    for x in range(40, WIDTH, 160):
        c.rect((x, 600, x + 80, 612), WHITE, 4)
    c.rect((260, 280, 1020, 500), BRAND, 30)  # bus
    for x in range(300, 860, 120):
        c.rect((x, 310, x + 96, 390), SKY, 8)
    c.rect((900, 310, 990, 470), SKY, 8)
    c.circle(400, 510, 52, BRAND_DARK)
    c.circle(400, 510, 22, GREY)
    c.circle(860, 510, 52, BRAND_DARK)
    c.circle(860, 510, 22, GREY)
    c.polygon(
        [(600, 250), (630, 250), (612, 280), (640, 280), (596, 330), (610, 292), (585, 292)], SUN
    )


def ict(c):
    c.ground()
    c.rect((380, 180, 900, 500), BRAND_DARK, 18)  # laptop
    c.rect((410, 210, 870, 470), SKY, 8)
    c.polygon([(320, 500), (960, 500), (1000, 560), (280, 560)], GREY)
    c.arc((540, 250, 740, 450), 200, 340, BRAND, 18)  # a circular arrow on the screen
    c.arc((540, 250, 740, 450), 20, 160, BRAND, 18)
    c.polygon([(734, 318), (764, 360), (712, 364)], BRAND)
    c.polygon([(546, 382), (516, 340), (568, 336)], BRAND)


def cleaning(c):
    c.ground()
    c.polygon([(420, 300), (620, 300), (590, 560), (450, 560)], LINK)  # bucket
    c.arc((430, 220, 610, 380), 180, 360, GREY, 10)
    c.rect((700, 320, 820, 560), BRAND, 16)  # spray bottle
    c.rect((730, 250, 800, 320), BRAND_DARK, 8)
    c.polygon([(800, 256), (860, 266), (860, 290), (800, 290)], BRAND_DARK)
    for x, y, r in ((560, 240, 34), (640, 200, 22), (900, 220, 28), (950, 290, 18), (500, 190, 18)):
        c.circle(x, y, r, WHITE)


def textiles_workwear(c):
    c.ground()
    c.line([(640, 110), (640, 160)], GREY, 8)  # hanger
    c.arc((610, 80, 670, 140), 180, 90, GREY, 8)
    c.polygon([(640, 160), (470, 230), (770, 230), (810, 230)], GREY)
    jacket = [(520, 210), (760, 210), (860, 330), (800, 370), (760, 320), (760, 600),
              (520, 600), (520, 320), (480, 370), (420, 330)]  # fmt: skip
    c.polygon(jacket, BRAND)
    c.polygon([(600, 210), (640, 280), (680, 210)], WHITE)
    c.rect((636, 280, 644, 600), BRAND_DARK)
    c.rect((540, 420, 760, 444), SUN)  # reflective stripe


def furniture(c):
    c.ground()
    c.rect((320, 200, 380, 450), SUN, 10)  # chair
    c.rect((320, 390, 520, 430), SUN, 10)
    c.rect((330, 430, 350, 560), BRAND_DARK)
    c.rect((490, 430, 510, 560), BRAND_DARK)
    c.rect((600, 340, 980, 376), BRAND, 8)  # table
    c.rect((630, 376, 652, 560), BRAND_DARK)
    c.rect((928, 376, 950, 560), BRAND_DARK)
    c.rect((720, 280, 780, 340), CORAL, 6)  # a pot with a plant
    leaf(c, 730, 250, 34)
    leaf(c, 775, 240, 30, BRAND_DARK)


def water_infrastructure(c):
    c.rect((0, 0, WIDTH, 460), SKY)
    c.rect((0, 460, WIDTH, HEIGHT), LINK)
    for y in (520, 590, 660):
        for x in range(0, WIDTH, 120):
            c.arc((x, y - 20, x + 120, y + 20), 200, 340, SKY, 5)
    c.rect((160, 300, 1120, 340), BRAND_DARK)  # bridge deck
    for x in (260, 640, 1020):
        c.rect((x - 20, 340, x + 20, 560), BRAND_DARK)
    c.arc((260, 240, 640, 520), 180, 360, BRAND, 14)
    c.arc((640, 240, 1020, 520), 180, 360, BRAND, 14)


def health_care(c):
    c.ground()
    c.rect((400, 200, 880, 560), WHITE, 8)  # hospital
    c.rect((400, 170, 880, 210), BRAND, 8)
    for x in (440, 560, 680, 780):
        for y in (260, 360):
            c.rect((x, y, x + 60, y + 60), SKY, 6)
    c.rect((590, 460, 690, 560), LINK, 6)
    c.rect((980, 200, 1040, 380), CORAL, 6)  # a cross beside it
    c.rect((920, 260, 1100, 320), CORAL, 6)
    c.circle(250, 250, 44, SUN)


def network(c):
    c.rect((0, 0, WIDTH, HEIGHT), TINT)
    nodes = [(300, 200), (520, 140), (760, 220), (980, 170), (420, 400), (660, 430),
             (900, 440), (260, 520), (560, 600), (820, 600)]  # fmt: skip
    links = [(0, 1), (1, 2), (2, 3), (0, 4), (1, 4), (2, 5), (3, 6), (4, 5), (5, 6), (4, 7),
             (5, 8), (6, 9), (7, 8), (8, 9), (2, 6)]  # fmt: skip
    for a, b in links:
        c.line([nodes[a], nodes[b]], GREY, 6)
    colours = (BRAND, LINK, SUN, BRAND_DARK, CORAL)
    for i, (x, y) in enumerate(nodes):
        c.circle(x, y, 46 if i in (2, 5) else 34, colours[i % len(colours)])
        c.circle(x, y, 14, WHITE)


DRAWINGS = {
    "food-catering": (food_catering, SAND),
    "buildings-construction": (buildings_construction, SKY),
    "energy": (energy, SKY),
    "transport-mobility": (transport_mobility, SKY),
    "ict": (ict, SURFACE),
    "cleaning": (cleaning, SAND),
    "textiles-workwear": (textiles_workwear, SURFACE),
    "furniture": (furniture, SAND),
    "water-infrastructure": (water_infrastructure, SKY),
    "health-care": (health_care, SKY),
    "network": (network, TINT),
}


def render(name):
    """The illustration `name` as a Pillow image."""
    draw, background = DRAWINGS[name]
    canvas = Canvas(background)
    draw(canvas)
    # Few colours: a palette keeps the PNG small.
    return canvas.result().quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=0)


class Command(BaseCommand):
    help = "Draw the demo content's illustrations into demo/images/."

    def handle(self, *args, **options):
        OUTPUT.mkdir(parents=True, exist_ok=True)
        total = 0
        for name in DRAWINGS:
            path = OUTPUT / f"{name}.png"
            render(name).save(path, optimize=True)
            total += path.stat().st_size
            self.stdout.write(f"{path.name}: {path.stat().st_size:,} bytes")
        self.stdout.write(f"{len(DRAWINGS)} illustrations, {total:,} bytes")
