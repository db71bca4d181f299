#!/usr/bin/env bash
# The proof that an office can open what the product makes: LibreOffice
# (headless, Debian `libreoffice-writer-nogui`) opens every DOCX that
# `doithoai render-samples` writes, and the minutes read back with as many
# opinions as the DOCX holds. The last step of scripts/test.sh (and so of
# CI); on its own: bash scripts/check_office.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null; then
  start=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
  echo "[office] libreoffice-writer-nogui installed in $(( $(date +%s) - start )) s"
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cargo run -q -p server --bin doithoai -- render-samples "$dir/samples" >/dev/null
start=$(date +%s)
(cd "$dir" && soffice --headless --convert-to "txt:Text (encoded):UTF8" --outdir txt samples/*.docx >/dev/null 2>&1)
echo "[office] LibreOffice read $(ls "$dir"/samples/*.docx | wc -l) documents in $(( $(date +%s) - start )) s"
python3 - "$dir" <<'PY'
import pathlib, re, sys, zipfile
root = pathlib.Path(sys.argv[1])
numbered = re.compile(r"^\d+\. ")
failed = False
for docx in sorted((root / "samples").glob("*.docx")):
    txt = root / "txt" / (docx.stem + ".txt")
    if not txt.exists() or not txt.read_text(encoding="utf-8").strip():
        print(f"[office] {docx.name}: LibreOffice could not open it"); failed = True; continue
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    paragraphs = [re.sub(r"<[^>]+>", "", p).strip() for p in xml.split("</w:p>")]
    lines = [l.strip() for l in txt.read_text(encoding="utf-8").splitlines()]
    if docx.stem.startswith("bien-ban"):
        in_docx = sum(1 for p in paragraphs if numbered.match(p))
        in_office = sum(1 for l in lines if numbered.match(l))
        ok = in_docx > 0 and in_docx == in_office
        print(f"[office] {docx.name}: {in_docx} opinions in the DOCX, {in_office} as LibreOffice reads it")
        failed |= not ok
    else:
        print(f"[office] {docx.name}: opens ({len(lines)} lines)")
sys.exit(1 if failed else 0)
PY
