#!/usr/bin/env python3
"""Generates server/data/units.tsv, the official list of administrative units
(34 provinces, 3,321 communes since 1 July 2025), from the PyPI package
`vietnam-provinces` at the version pinned in scripts/versions.env.

Run:  pip install vietnam-provinces==2025.10.1 && python3 scripts/gen_units.py
"""
import json
import pathlib
from importlib import metadata, resources

VERSION = metadata.version("vietnam-provinces")
data = json.loads(
    resources.files("vietnam_provinces").joinpath("data/nested-divisions.json").read_text("utf-8")
)
out = pathlib.Path(__file__).resolve().parent.parent / "server" / "data" / "units.tsv"
lines = [
    f"# source: PyPI vietnam-provinces {VERSION}, data/nested-divisions.json; valid from 2025-07-01",
    "# code\tname\tlevel\tparent_code\tdivision_type",
]
for p in data:
    pcode = f"{p['code']:02d}"
    lines.append(f"{pcode}\t{p['name']}\tprovince\t\t{p['division_type']}")
    for w in p["wards"]:
        lines.append(f"{w['code']:05d}\t{w['name']}\tcommune\t{pcode}\t{w['division_type']}")
out.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {len(lines) - 2} units to {out}")
