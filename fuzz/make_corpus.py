#!/usr/bin/env python3
"""Make the fuzzers' seed corpus from the project's own inputs.

    make_corpus.py OUT_DIR       # OUT_DIR/<harness>/<seed>, e.g. build-fuzz/seeds
    make_corpus.py --small DIR   # the few small seeds committed under fuzz/corpus

Sources: examples/england, tests/data (CSV folders and workbooks) and tests/bad
(the bad-input catalogue). Seeds for fuzz_scenario join a folder's tables as
`@name` sections, then a NUL byte, then its scenarios table (see fuzz_scenario.c);
seeds for fuzz_xlsx are workbooks, and also a workbook's sheet XML, a NUL byte and
its shared strings (see fuzz_xlsx.c). Seeds for fuzz_model are the `@name`
sections alone, from the oracle's inputs and from small inputs of
bench/generate.py --v2 (collaboratives, contract limits, expansion steps).
"""
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PARSE_SEEDS = ["1234.5", "-3", "1,234.5", "£1,234.5", "-£5", "£-5", "12.5%", "1e6", " 7 ",
               "\u00a0 42\u00a0", "1e400", "nan", "-inf", "0,123", "1,23", "2025", "2025/26",
               "2025-26", "2025/2026", "2025.0", "1899", "yes", "No", "TRUE", "n", "0.0",
               "9223372036854775808", "-0", "1e-400", "12,345,678.9%"]


def csv_folders():
    """Folders of CSV files, with their tables' bytes."""
    for base in ("examples", "tests/data", "tests/bad"):
        for folder, _, files in sorted(os.walk(os.path.join(ROOT, base))):
            tables = {}
            for name in sorted(files):
                if name.lower().endswith(".csv"):
                    with open(os.path.join(folder, name), "rb") as fh:
                        tables[name[:-4]] = fh.read()
            if tables:
                yield folder, tables


def workbooks():
    for base in ("tests/data", "tests/bad", "examples"):
        for folder, _, files in sorted(os.walk(os.path.join(ROOT, base))):
            for name in sorted(files):
                if name.lower().endswith(".xlsx"):
                    path = os.path.join(folder, name)
                    if os.path.getsize(path) <= 65536:
                        with open(path, "rb") as fh:
                            data = fh.read()
                        if inflates_small(data):
                            yield data


def inflates_small(data, limit=1 << 20):
    """False for a zip bomb (tests/bad has two): every seed should run in milliseconds."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        for info in book.infolist():
            with book.open(info) as part:
                if len(part.read(limit + 1)) > limit:
                    return False
    except Exception:  # not a readable zip: a fine seed, read as it is
        return True
    return True


def tiny_workbook(stored):
    """A minimal workbook with one sheet, 'settings', and a shared string."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                               '.org/package/2006/content-types"/>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org'
                           '/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
                           'officeDocument/2006/relationships"><sheets><sheet name="settings" '
                           'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                                      'openxmlformats.org/package/2006/relationships"><Relationship'
                                      ' Id="rId1" Type="http://schemas.openxmlformats.org/'
                                      'officeDocument/2006/relationships/worksheet" Target='
                                      '"worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http'
                                      '://schemas.openxmlformats.org/officeDocument/2006/'
                                      'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                      '</Relationships>',
        "xl/sharedStrings.xml": '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.'
                                'org/spreadsheetml/2006/main"><si><t>key</t></si><si><r><t>val'
                                '</t></r><r><t>ue</t></r></si><si><t>first_year</t></si></sst>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                                    'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                                    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1'
                                    '</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r='
                                    '"B2"><v>2025.0</v></c></row><row><c t="inlineStr"><is><t>'
                                    'years_x005F_</t></is></c><c t="b"><v>1</v></c><c t="e"><v>'
                                    '#N/A</v></c><c><f>1+1</f></c></row></sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return buffer.getvalue()


def xml_parts_seeds(data, most=3):
    """fuzz_xlsx's other input form: a worksheet's XML, NUL, the shared strings."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        names = book.namelist()
        strings = book.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        return [book.read(n) + b"\0" + strings for n in sheets[:most]]
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError):
        return []
    except Exception:  # a damaged zip can fail in other ways; it is then no seed
        return []


def model_seed(tables):
    return b"".join(b"@" + name.encode() + b"\n" + data.rstrip(b"\n") + b"\n"
                    for name, data in tables.items() if name.lower() != "scenarios")


def generated_v2():
    """Small inputs of bench/generate.py --v2, as table bytes."""
    with tempfile.TemporaryDirectory(prefix="allocopt-corpus-") as tmp:
        for seed, icbs in ((1, 2), (2, 3), (3, 4)):
            folder = os.path.join(tmp, str(seed))
            subprocess.run([sys.executable, "-B", os.path.join(ROOT, "bench", "generate.py"),
                            folder, "--icbs", str(icbs), "--services", "18", "--providers",
                            str(icbs + 1), "--years", "2", "--seed", str(seed), "--v2"],
                           check=True, stdout=subprocess.DEVNULL)
            tables = {}
            for name in sorted(os.listdir(folder)):
                if name.endswith(".csv") and name != "scenarios.csv":
                    with open(os.path.join(folder, name), "rb") as fh:
                        tables[name[:-4]] = fh.read()
            yield tables


def scenario_seed(tables):
    base = b"".join(b"@" + name.encode() + b"\n" + data.rstrip(b"\n") + b"\n"
                    for name, data in tables.items() if name.lower() != "scenarios")
    return base + b"\0" + tables.get("scenarios", b"scenario,table,column,key,op,value\n")


def seeds():
    """(harness, bytes) pairs."""
    for text in PARSE_SEEDS:
        yield "fuzz_parse", text.encode()
    for folder, tables in csv_folders():
        for data in tables.values():
            yield "fuzz_csv", data
            for line in data.splitlines()[1:4]:
                for cell in line.split(b","):
                    yield "fuzz_parse", cell
        yield "fuzz_scenario", scenario_seed(tables)
        if os.sep + "oracle" in folder:
            yield "fuzz_model", model_seed(tables)
    for tables in generated_v2():
        yield "fuzz_model", model_seed(tables)
    for stored in (True, False):
        yield "fuzz_xlsx", tiny_workbook(stored)
        yield from (("fuzz_xlsx", seed) for seed in xml_parts_seeds(tiny_workbook(stored), 1))
    for data in workbooks():
        yield "fuzz_xlsx", data
        for xml_seed in xml_parts_seeds(data):
            yield "fuzz_xlsx", xml_seed


def write(out, small):
    count = {}
    for harness, data in seeds():
        largest = 65536 if harness == "fuzz_model" else 4096
        if small and (len(data) > largest or count.get(harness, 0) >= 12):
            continue
        folder = os.path.join(out, harness)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, hashlib.sha1(data).hexdigest()[:16])
        if not os.path.exists(path):
            with open(path, "wb") as fh:
                fh.write(data)
            count[harness] = count.get(harness, 0) + 1
    for harness in sorted(count):
        print(f"{harness}: {count[harness]} seeds in {os.path.join(out, harness)}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--small":
        write(sys.argv[2], small=True)
    elif len(sys.argv) == 2:
        write(sys.argv[1], small=False)
    else:
        sys.exit(__doc__.strip())
