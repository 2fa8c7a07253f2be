"""A CSV input whose icbs.csv holds one 100 MB cell (population, row 3).

Run by run_bad_inputs.py as `python3 recipe.py DEST`; writes DEST/input/.
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

out = os.path.join(DEST, "input")
os.makedirs(out)
for table, text in BASE.items():
    with open(os.path.join(out, table + ".csv"), "w") as fh:
        fh.write(text)
with open(os.path.join(out, "icbs.csv"), "w") as fh:
    fh.write("id,name,population\nI1,North ICB,1000\nI2,South ICB,")
    fh.write("9" * 10 + "x" * (100 << 20))
    fh.write("\n")
