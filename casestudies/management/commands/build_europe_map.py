"""Write casestudies/data/europe.json, the outlines of the case study index's map.

Source: the npm package `world-atlas` (TopoJSON of Natural Earth's 1:50m countries; the package
is ISC-licensed, Natural Earth's data is in the public domain), installed by `make browser-deps`
from package.json. Nothing is fetched at run time: the site reads the JSON this writes.

Steps: decode the TopoJSON arcs (delta-encoded, quantised), project them with a Lambert
azimuthal equal-area projection centred on Europe (10°E, 52°N, as EPSG:3035), simplify each
shared arc once (Douglas-Peucker, so neighbours keep a common border), assemble the countries'
rings, clip them to the frame of Europe, and write integer path data.
"""

import json
import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django_countries import countries

PACKAGE = "world-atlas"
SOURCE_FILE = "countries-50m.json"
OUTPUT = Path(__file__).resolve().parents[2] / "data" / "europe.json"

CENTRE = (10.0, 52.0)  # longitude, latitude of the projection's centre
# The frame: what these longitudes and latitudes span once projected (Iceland to Cyprus,
# North Cape to Malta), widened by a margin.
FRAME_POINTS = [(-24.5, 63.2), (-24.5, 66.6), (-9.5, 36.0), (14.5, 35.8), (34.6, 34.5)]
FRAME_POINTS += [(28.0, 71.2), (34.0, 70.0), (40.0, 56.0), (-10.0, 52.0)]
WIDTH = 1000  # of the viewBox; the height follows the frame's proportions
MARGIN = 0.02  # around the frame, of its width
TOLERANCE = 1.1  # of the simplification, in viewBox units
SMALL = 10  # a country narrower and lower than this also gets a dot, to be seen and clicked


def project(lon, lat):
    """Lambert azimuthal equal-area, y growing southwards (SVG's direction)."""
    lon0, lat0 = map(math.radians, CENTRE)
    lam, phi = math.radians(lon), math.radians(lat)
    cos_c = math.sin(lat0) * math.sin(phi) + math.cos(lat0) * math.cos(phi) * math.cos(lam - lon0)
    k = math.sqrt(2 / max(1 + cos_c, 1e-9))
    x = k * math.cos(phi) * math.sin(lam - lon0)
    y = k * (math.cos(lat0) * math.sin(phi) - math.sin(lat0) * math.cos(phi) * math.cos(lam - lon0))
    return x, -y


def decode_arcs(topology):
    """The arcs as lists of (longitude, latitude): quantised positions, each a delta."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas-Peucker, keeping both ends (where an arc meets its neighbours)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def clip(ring, width, height):
    """Sutherland-Hodgman against the frame [0, width] × [0, height]."""
    edges = [
        (lambda p: p[0] >= 0, lambda a, b: _cross_x(a, b, 0)),
        (lambda p: p[0] <= width, lambda a, b: _cross_x(a, b, width)),
        (lambda p: p[1] >= 0, lambda a, b: _cross_y(a, b, 0)),
        (lambda p: p[1] <= height, lambda a, b: _cross_y(a, b, height)),
    ]
    for inside, cross in edges:
        if not ring:
            break
        result = []
        previous = ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        ring = result
    return ring


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def path_data(rings):
    parts = []
    for ring in rings:
        points = [(round(x), round(y)) for x, y in ring]
        # Consecutive points that round to the same position say nothing.
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(points) < 3:
            continue
        first, *rest = points
        parts.append(f"M{first[0]} {first[1]}L" + " ".join(f"{x} {y}" for x, y in rest) + "Z")
    return "".join(parts)


class Command(BaseCommand):
    help = "Write casestudies/data/europe.json (the map's outlines) from the npm world-atlas."

    def handle(self, *args, **options):
        package = Path(settings.BASE_DIR) / "node_modules" / PACKAGE
        version = json.loads((package / "package.json").read_text())["version"]
        topology = json.loads((package / SOURCE_FILE).read_text())

        xs, ys = zip(*(project(*p) for p in FRAME_POINTS), strict=True)
        pad = MARGIN * (max(xs) - min(xs))
        left, top = min(xs) - pad, min(ys) - pad
        scale = WIDTH / (max(xs) + pad - left)
        height = round((max(ys) + pad - top) * scale)

        def to_frame(lon, lat):
            x, y = project(lon, lat)
            return (x - left) * scale, (y - top) * scale

        arcs = [simplify([to_frame(*p) for p in arc], TOLERANCE) for arc in decode_arcs(topology)]

        def ring_points(indexes):
            points = []
            for index in indexes:
                arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                points.extend(arc if not points else arc[1:])
            return points

        shapes = []
        for geometry in topology["objects"]["countries"]["geometries"]:
            if geometry["type"] == "Polygon":
                polygons = [geometry["arcs"]]
            elif geometry["type"] == "MultiPolygon":
                polygons = geometry["arcs"]
            else:
                continue
            rings = [clip(ring_points(r), WIDTH, height) for p in polygons for r in p]
            rings = [r for r in rings if len(r) >= 3]
            d = path_data(rings)
            if not d:
                continue
            code = countries.alpha2(geometry.get("id", "")) or ""
            shape = {"code": code, "d": d}
            rx, ry = zip(*(p for r in rings for p in r), strict=True)
            if max(rx) - min(rx) < SMALL and max(ry) - min(ry) < SMALL:
                shape["dot"] = [round((max(rx) + min(rx)) / 2), round((max(ry) + min(ry)) / 2)]
            shapes.append(shape)
        shapes.sort(key=lambda s: (s["code"] == "", s["code"], s["d"]))

        data = {
            "source": {
                "package": f"{PACKAGE} {version} (npm), {SOURCE_FILE}",
                "licence": "ISC (package); Natural Earth data, public domain",
                "projection": "Lambert azimuthal equal-area, centred on 10°E 52°N",
                "written_by": "manage.py build_europe_map",
            },
            "viewBox": f"0 0 {WIDTH} {height}",
            "countries": shapes,
        }
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n")
        self.stdout.write(f"{OUTPUT}: {len(shapes)} shapes, {OUTPUT.stat().st_size:,} bytes")
