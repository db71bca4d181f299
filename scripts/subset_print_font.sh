#!/usr/bin/env bash
# Makes the print view's web fonts: Liberation Serif (the font the PDF
# embeds, server/fonts/) subset to Latin + Vietnamese as woff2, into
# style/fonts/. Run by hand when the fonts change; the outputs are committed,
# so building the site needs no Python. fonttools comes from PyPI, pinned.
# No hinting: the view is printed, or read on a tablet's dense screen.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/versions.env

venv=tools/fonttools
if [ ! -x "$venv/bin/pyftsubset" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "fonttools==$FONTTOOLS_PYPI_VERSION" "brotli==$BROTLI_PYPI_VERSION"
fi

# Google Fonts' "latin" and "vietnamese" ranges: every letter of Vietnamese,
# precomposed and with combining marks, and the usual punctuation.
latin="U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
vietnamese="U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB"

for face in Regular Bold Italic BoldItalic; do
  "$venv/bin/pyftsubset" "server/fonts/LiberationSerif-$face.ttf" \
    --unicodes="$latin,$vietnamese" \
    --layout-features='*' \
    --no-hinting \
    --flavor=woff2 \
    --output-file="style/fonts/serif-$(echo "$face" | tr '[:upper:]' '[:lower:]').woff2"
done
# Every Vietnamese letter, lower and upper case, must be in each face.
"$venv/bin/python" - <<'PY'
import glob
from fontTools.ttLib import TTFont
letters = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư" + "".join(map(chr, range(0x1EA0, 0x1EFA)))
for path in sorted(glob.glob("style/fonts/*.woff2")):
    cmap = TTFont(path).getBestCmap()
    missing = [c for c in letters if ord(c) not in cmap]
    assert not missing, f"{path} lacks {''.join(missing)}"
    print(f"{path}: all {len(letters)} Vietnamese letters")
PY
ls -l style/fonts
