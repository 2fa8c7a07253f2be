"""A workbook whose icbs sheet holds one 100 MB inline string (cell B3).

Run by run_bad_inputs.py as `python3 recipe.py DEST`; writes DEST/input.xlsx.
Written by make_catalogue.py.
"""
import os
import re
import sys

BASE = {
    'settings': 'key,value\nname,Catalogue base\nfirst_year,2025/26\nyears,2\n',
    'icbs': 'id,name,population\nI1,North ICB,1000\nI2,South ICB,2000\n',
    'budgets': 'icb,year,revenue\nI1,2025/26,5000\nI1,2026/27,5000\nI2,2025/26,9000\nI2,2026/27,9000\n',
    'services': 'id,name,category,unit_cost,benefit\nS1,Renal,specialised,10,2\nS2,Urgent care,priority,5,1\n',
    'demand': 'icb,service,need,baseline\nI1,S1,100,20\nI1,S2,100,20\nI2,S1,150,30\nI2,S2,150,30\n',
}
DEST = sys.argv[1]

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import xlsxbuild  # noqa: E402

parts = xlsxbuild.workbook(BASE)
part = xlsxbuild.sheet_part(parts, "icbs")
big = b'<c r="B3" t="inlineStr"><is><t>' + b"x" * (100 << 20) + b"</t></is></c>"
parts[part], count = re.subn(rb'<c r="B3" t="s"><v>[0-9]+</v></c>', lambda m: big, parts[part])
assert count == 1
with open(os.path.join(DEST, "input.xlsx"), "wb") as fh:
    fh.write(xlsxbuild.pack(parts))
