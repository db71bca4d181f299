#!/usr/bin/env python3
"""Generates server/data/holidays.tsv, Vietnam's days off and swapped working
days for 2020-2040, from the PyPI package `holidays` (its Vietnam calendar:
Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and the adjacent day, compensatory
days, and the days the Prime Minister swapped) at the version pinned in
scripts/versions.env. An administrator edits the stored table each year.

Run:  pip install holidays==0.109 && python3 scripts/gen_holidays.py
"""
import pathlib
import re
from importlib import metadata

import holidays

VERSION = metadata.version("holidays")
YEARS = range(2020, 2041)
# "Ngày nghỉ (thay cho ngày 26/04/2025)": that Saturday was worked instead.
SWAPPED = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")

out = pathlib.Path(__file__).resolve().parent.parent / "server" / "data" / "holidays.tsv"
lines = [
    f"# source: PyPI holidays {VERSION}, country VN, language vi, years {YEARS[0]}-{YEARS[-1]}",
    "# date\tkind\tname",
]
rows = []
for day, name in holidays.country_holidays("VN", years=YEARS, language="vi").items():
    for part in name.split("; "):
        rows.append((day.isoformat(), "day_off", part))
        swapped = SWAPPED.search(part)
        if swapped:
            d, m, y = swapped.groups()
            rows.append((f"{y}-{m}-{d}", "working", f"Làm bù cho {day.strftime('%d/%m/%Y')}"))
for row in sorted(set(rows)):
    lines.append("\t".join(row))
out.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {len(lines) - 2} days to {out}")
