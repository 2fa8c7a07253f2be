"""Build small .xlsx workbooks by hand (zip + XML), for the bad-input catalogue.

No spreadsheet library is needed: a workbook is a zip of a few XML parts, and the
point here is to be able to damage any of them. `workbook(tables)` returns the
parts of a well-formed workbook as a dict {zip entry name: bytes}; a case changes
or removes parts and `pack(parts)` zips them.
"""
import io
import re
import zipfile
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_TYPE = REL_NS + "/worksheet"
STRINGS_TYPE = REL_NS + "/sharedStrings"

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")


def column_letters(col):
    """0-based column to letters: 0 -> A, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_xml(ref, value, strings):
    """One <c>: numbers as numbers, other text as a shared string."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and NUMBER.match(value)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if value not in strings:
        strings.append(value)
    return f'<c r="{ref}" t="s"><v>{strings.index(value)}</v></c>'


def sheet_xml(rows, strings):
    """A worksheet part from rows of values (None or "" leaves a cell out)."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" '
           f'xmlns:r="{REL_NS}"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{column_letters(c)}{r}", v, strings)
                        for c, v in enumerate(row) if v not in (None, ""))
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def strings_xml(strings):
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')


def csv_rows(text):
    """Rows of a simple CSV text (no quoting needed by the callers)."""
    return [line.split(",") for line in text.strip("\n").split("\n")]


def workbook(tables):
    """Parts of a workbook with one sheet per table: {name: CSV text or rows}."""
    strings = []
    sheets = []
    parts = {}
    for k, (name, content) in enumerate(tables.items(), start=1):
        rows = csv_rows(content) if isinstance(content, str) else content
        parts[f"xl/worksheets/sheet{k}.xml"] = sheet_xml(rows, strings).encode()
        sheets.append((name, k))
    sheet_list = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{k}" '
                         f'r:id="rId{k}"/>' for name, k in sheets)
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}"><sheets>{sheet_list}</sheets></workbook>').encode()
    rels = "".join(f'<Relationship Id="rId{k}" Type="{WORKSHEET_TYPE}" '
                   f'Target="worksheets/sheet{k}.xml"/>' for _, k in sheets)
    rels += (f'<Relationship Id="rId{len(sheets) + 1}" Type="{STRINGS_TYPE}" '
             f'Target="sharedStrings.xml"/>')
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL_NS}">{rels}</Relationships>').encode()
    parts["xl/sharedStrings.xml"] = strings_xml(strings).encode()
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for _, k in sheets)
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
        'openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + overrides +
        '</Types>').encode()
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
        f'{PKG_REL_NS}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" '
        f'Target="xl/workbook.xml"/></Relationships>').encode()
    return parts


def sheet_part(parts, sheet_name):
    """Zip entry name of a sheet of a workbook made by workbook()."""
    names = re.findall(rb'<sheet name="([^"]*)"', parts["xl/workbook.xml"])
    index = [n.decode() for n in names].index(sheet_name) + 1
    return f"xl/worksheets/sheet{index}.xml"


def pack(parts, method=zipfile.ZIP_DEFLATED, methods=None):
    """Zip the parts (Content_Types first, as Excel does); methods: per-part overrides."""
    buffer = io.BytesIO()
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n))
    with zipfile.ZipFile(buffer, "w") as book:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = (methods or {}).get(name, method)
            data = parts[name]
            book.writestr(info, data if isinstance(data, bytes) else data.encode())
    return buffer.getvalue()
