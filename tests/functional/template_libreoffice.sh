#!/bin/sh
# The input template as LibreOffice Calc reads it.
#
# Runs `ALLOCOPT template TMP/book.xlsx [ARGS...]` (ARGS: --example, say) and has
# LibreOffice convert the workbook to CSV:
# - the default conversion, which takes the first sheet only: it must be the Read me,
#   whose first cell says "allocopt input workbook";
# - with LibreOffice 7.2 or later, every sheet to its own CSV file (the CSV filter's
#   12th option, -1): each table sheet must hold the headings of FORMATS.md in row 1,
#   in order, and with --example the icbs sheet must hold rows below them.
#
# Usage: template_libreoffice.sh ALLOCOPT [ARGS...]   (SOFFICE in the environment names
# another soffice)
# Exit status: 0 passed, 1 failed, 77 skipped (soffice missing).
set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 ALLOCOPT [ARGS...]" >&2
    exit 2
fi
allocopt=$1
shift
soffice=${SOFFICE:-soffice}
if ! command -v "$soffice" >/dev/null 2>&1; then
    echo "SKIP: $soffice is not installed"
    exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/template_libreoffice.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# A private profile: no clash with a LibreOffice already running, nothing left in $HOME.
convert() {
    # $1: output folder, $2: filter
    if command -v timeout >/dev/null 2>&1; then
        timeout 300 "$soffice" "-env:UserInstallation=file://$dir/profile" --headless \
            --convert-to "$2" --outdir "$1" "$dir/book.xlsx" >>"$dir/soffice.log" 2>&1
    else
        "$soffice" "-env:UserInstallation=file://$dir/profile" --headless \
            --convert-to "$2" --outdir "$1" "$dir/book.xlsx" >>"$dir/soffice.log" 2>&1
    fi
}

# The first line of a CSV file, without a carriage return.
first_line() {
    head -n 1 "$1" | tr -d '\r'
}

if ! "$allocopt" template "$dir/book.xlsx" "$@"; then
    echo "FAIL: allocopt template $* failed"
    exit 1
fi
if [ ! -s "$dir/book.xlsx" ]; then
    echo "FAIL: allocopt template wrote no workbook"
    exit 1
fi

# 1. The default conversion: the first sheet.
if ! convert "$dir/first" csv; then
    cat "$dir/soffice.log"
    echo "FAIL: LibreOffice could not convert the template"
    exit 1
fi
if [ ! -s "$dir/first/book.csv" ]; then
    cat "$dir/soffice.log"
    echo "FAIL: LibreOffice wrote no CSV (or an empty one) for the template"
    exit 1
fi
line=$(first_line "$dir/first/book.csv")
case $line in
"allocopt input workbook" | "allocopt input workbook,"*) ;;
*) fail "the first sheet starts '$line', not 'allocopt input workbook' (the Read me)" ;;
esac

# 2. Every sheet, where LibreOffice can (7.2 and later write book-SHEET.csv).
convert "$dir/all" 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'
if [ ! -f "$dir/all/book-icbs.csv" ]; then
    echo "note: this LibreOffice converts only the first sheet; headings not checked"
else
    while IFS='|' read -r sheet headings; do
        file="$dir/all/book-$sheet.csv"
        if [ ! -f "$file" ]; then
            fail "no sheet $sheet"
            continue
        fi
        line=$(first_line "$file")
        # Trailing empty cells of row 1 (none expected) are not headings.
        line=$(printf '%s' "$line" | sed 's/,*$//')
        if [ "$line" != "$headings" ]; then
            fail "sheet $sheet has headings '$line', expected '$headings'"
        fi
    done <<'EOF'
settings|key,value
icbs|id,name,population,region,joint_committee,max_providers
budgets|icb,year,revenue,capital,specialised
services|id,name,category,programme,unit,unit_cost,benefit,min_coverage,growth,capital_cost,capacity_lag,max_change
demand|icb,service,need,baseline
providers|id,name,icb,centre_of_excellence,max_icbs
capacity|provider,service,capacity,unit_cost,min_volume,max_expansion,expansion_step
access|icb,provider
prevention|service,target,effect,lag
rules|name,scope,applies_to,year,kind,value
collaboratives|id,name,lead_provider,applies_to,icbs,budget_share
collaborative_members|collaborative,provider
scenarios|scenario,table,column,key,op,value
EOF
    if [ -f "$dir/all/book-settings.csv" ]; then
        line=$(sed -n 2p "$dir/all/book-settings.csv" | tr -d '\r')
        case $line in
        first_year,* | name,*) ;;
        *) fail "the settings sheet's first row is '$line', not a setting" ;;
        esac
    fi
    for arg in "$@"; do
        if [ "$arg" = "--example" ]; then
            rows=$(grep -c . "$dir/all/book-icbs.csv")
            if [ "$rows" -lt 2 ]; then
                fail "with --example, the icbs sheet has no rows"
            fi
        fi
    done
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "PASS: LibreOffice reads the template"
exit 0
