#!/usr/bin/env bash
# Makes the installed app's icons (server/assets/icons/icon-{192,512}.png):
# "ĐT" in Liberation Serif Bold (server/fonts/), white on the app's red,
# the red to every edge and the letters inside the middle 60%, so one
# image serves as a plain icon and as a maskable one (Android crops it to
# a circle or a rounded square). Run by hand; the PNGs are committed, so
# building needs no Python. Pillow comes from PyPI, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env

venv=tools/fonttools
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import PIL" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "Pillow==$PILLOW_PYPI_VERSION"
fi
"$venv/bin/python" - <<'PY'
from PIL import Image, ImageDraw, ImageFont

RED, WHITE, GOLD = (139, 26, 26), (255, 255, 255), (224, 161, 0)
for size in (192, 512):
    image = Image.new("RGB", (size, size), RED)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("server/fonts/LiberationSerif-Bold.ttf", int(size * 0.36))
    left, top, right, bottom = draw.textbbox((0, 0), "ĐT", font=font)
    x = (size - (right - left)) / 2 - left
    y = (size - (bottom - top)) / 2 - top - size * 0.03
    draw.text((x, y), "ĐT", font=font, fill=WHITE)
    rule = size * 0.02
    line_y = y + bottom + size * 0.05
    draw.rectangle((size * 0.3, line_y, size * 0.7, line_y + rule), fill=GOLD)
    image.save(f"server/assets/icons/icon-{size}.png", optimize=True)
    print(f"server/assets/icons/icon-{size}.png")
PY
