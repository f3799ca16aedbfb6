"""Convert Natural Earth country shapes into the compact SVG paths the HTML report ships.

Run once when the source data changes; the result, residency/formats/data/world.json, is
committed as package data (reports never fetch anything):

    npm ci   # installs world-atlas (package.json)
    .venv/bin/python -m scripts.build_world_map

Source: Natural Earth 1:50m Admin 0 countries (public domain, naturalearthdata.com), as the
TopoJSON redistributed by the npm package world-atlas (ISC licence); ISO 3166-1 numeric ids are
mapped to alpha-2 with Debian's iso-codes (`/usr/share/iso-codes/json/iso_3166-1.json`, apt
package iso-codes). Projection: Equal Earth (Šavrič, Patterson, Jenny 2018), an equal-area
world projection, so no country looks bigger than it is. Rings are simplified with
Ramer-Douglas-Peucker at `TOLERANCE` map units and written as relative integer path commands;
countries too small to see get a marker point, so Singapore or Bahrain can still be shaded.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")
OUTPUT = ROOT / "residency" / "formats" / "data" / "world.json"
WIDTH = 2000  # map units across; integers at this scale are sub-pixel on any screen
TOLERANCE = 0.8
MIN_RING_AREA = 6.0  # square map units; smaller islands are dropped (the country keeps its largest ring)
MARKER_BELOW = 14.0  # a country whose shape spans fewer map units than this also gets a marker point

Point = tuple[float, float]


def equal_earth(longitude: float, latitude: float) -> Point:
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(math.sqrt(3) / 2 * math.sin(phi))
    t2, t6 = theta**2, theta**6
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    y = theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
    return x, y


_X_MAX = equal_earth(180, 0)[0]
_Y_MAX = equal_earth(0, 90)[1]
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE)


def to_map(longitude: float, latitude: float) -> Point:
    x, y = equal_earth(longitude, latitude)
    return (x + _X_MAX) * SCALE, (_Y_MAX - y) * SCALE


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(to_map(x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer-Douglas-Peucker, iterative (rings have tens of thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            # A closed ring starts and ends on one point: measure from it, not from a line.
            distance = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(points: list[Point]) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def path(rings: list[list[Point]]) -> str:
    parts = []
    for points in rings:
        coords = [(round(x), round(y)) for x, y in points]
        deduped = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        if len(deduped) < 3:
            continue
        x0, y0 = deduped[0]
        steps = [f"{x - px} {y - py}" for (px, py), (x, y) in itertools.pairwise(deduped)]
        parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts)


def polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def country_shape(geometry: dict[str, Any], arcs: list[list[Point]]) -> tuple[str, Point | None]:
    raw = [ring(r, arcs) for polygon in polygons(geometry) for r in polygon]
    rings = [s for s in (simplify(r, TOLERANCE) for r in raw) if len(s) >= 4]
    if not rings:  # too small to draw at this scale: a marker only
        points = [p for r in raw for p in r]
        if not points:
            return "", None
        return "", (round(sum(x for x, _ in points) / len(points)), round(sum(y for _, y in points) / len(points)))
    largest = max(rings, key=area)
    kept = [r for r in rings if area(r) >= MIN_RING_AREA or r is largest]
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    small = max(max(xs) - min(xs), max(ys) - min(ys)) < MARKER_BELOW
    centre = (round(sum(x for x, _ in largest) / len(largest)), round(sum(y for _, y in largest) / len(largest)))
    return path(kept), (centre if small else None)


def build(source: Path, iso_codes: Path) -> dict[str, Any]:
    topology = json.loads(source.read_text(encoding="utf-8"))
    by_number = {c["numeric"]: c["alpha_2"] for c in json.loads(iso_codes.read_text(encoding="utf-8"))["3166-1"]}
    arcs = decode_arcs(topology)
    countries: dict[str, dict[str, Any]] = {}
    other: list[str] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        d, marker = country_shape(geometry, arcs)
        code = by_number.get(str(geometry.get("id", "")))
        if not d and marker is None:
            continue
        if code is None:  # territories without an ISO code (e.g. Kosovo, N. Cyprus): land, never shaded
            if d:
                other.append(d)
            continue
        entry: dict[str, Any] = {"name": geometry.get("properties", {}).get("name", code), "d": d}
        if marker:
            entry["marker"] = list(marker)
        countries[code] = entry
    return {
        "source": "Natural Earth 1:50m Admin 0 countries v4.1.0 (public domain), via npm world-atlas 2.0.2; "
                  "converted by scripts/build_world_map.py",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": HEIGHT,
        "countries": dict(sorted(countries.items())),
        "unassigned": other,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    world = build(args.source, ISO_CODES)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(world, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(world['countries'])} countries, {args.output.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
