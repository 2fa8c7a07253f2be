/*
 * libFuzzer harness for the workbook reader: the input bytes are written to a
 * temporary .xlsx file, which ao_xlsx_read opens like any workbook.
 *
 * Two kinds of input, so that the fuzzer reaches the XML as well as the zip:
 * - bytes starting with a zip signature ("PK\x03\x04") are the file itself;
 * - any other bytes are XML parts, separated by NUL bytes: a worksheet, then
 *   optionally the shared strings, then optionally xl/workbook.xml. They are packed
 *   (stored, so that their bytes are the input's) into a workbook whose one sheet is
 *   named "budgets"; without the third part a fixed xl/workbook.xml lists it. A
 *   mutated zip fails its CRC checks at once; this way every mutation reaches expat
 *   and the sheet reader.
 *
 * Checked: the outcome is one of the documented ones; a refused file returns no
 * tables; every diagnostic names the workbook; every table returned has
 * increasing sheet row numbers and headings in increasing sheet columns.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "fuzz.h"
#include "common/diag.h"
#include "common/table.h"
#include "io/xlsx_reader.h"

static char workbook_path[64];

static const char WORKBOOK_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas."
    "openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
    "officeDocument/2006/relationships\"><sheets><sheet name=\"budgets\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";

static const char RELS_XML[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas."
    "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
    "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\""
    "worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats."
    "org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

static char workbook_path[64];

/* Add one stored part; 0 on failure. */
static int add_part(zip_t *archive, const char *name, const void *data, size_t size)
{
    zip_source_t *source = zip_source_buffer(archive, data, size, 0);
    if (source == NULL)
        return 0;
    zip_int64_t index = zip_file_add(archive, name, source, ZIP_FL_OVERWRITE);
    if (index < 0) {
        zip_source_free(source);
        return 0;
    }
    return zip_set_file_compression(archive, (zip_uint64_t)index, ZIP_CM_STORE, 0) == 0;
}

/* Pack XML parts separated by NUL bytes into a workbook at workbook_path. */
static int write_parts(const uint8_t *data, size_t size)
{
    const uint8_t *part[3] = {data, NULL, NULL};
    size_t length[3] = {size, 0, 0};
    for (int k = 0; k < 2 && part[k] != NULL; k++) {
        const uint8_t *nul = memchr(part[k], '\0', length[k]);
        if (nul == NULL)
            break;
        part[k + 1] = nul + 1;
        length[k + 1] = length[k] - (size_t)(nul - part[k]) - 1;
        length[k] = (size_t)(nul - part[k]);
    }
    int error = 0;
    zip_t *archive = zip_open(workbook_path, ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (archive == NULL)
        return 0;
    int ok = add_part(archive, "xl/worksheets/sheet1.xml", part[0], length[0]) &&
             add_part(archive, "xl/_rels/workbook.xml.rels", RELS_XML, sizeof RELS_XML - 1) &&
             (part[1] == NULL || add_part(archive, "xl/sharedStrings.xml", part[1], length[1])) &&
             (part[2] != NULL
                  ? add_part(archive, "xl/workbook.xml", part[2], length[2])
                  : add_part(archive, "xl/workbook.xml", WORKBOOK_XML, sizeof WORKBOOK_XML - 1));
    if (!ok) {
        zip_discard(archive);
        return 0;
    }
    return zip_close(archive) == 0;
}

static int write_input(const uint8_t *data, size_t size)
{
    if (workbook_path[0] == '\0') {
        char folder[] = "/tmp/allocopt-fuzz-xlsx-XXXXXX";
        if (mkdtemp(folder) == NULL)
            return 0;
        snprintf(workbook_path, sizeof workbook_path, "%s/input.xlsx", folder);
    }
    if (size < 4 || memcmp(data, "PK\x03\x04", 4) != 0)
        return write_parts(data, size);
    FILE *file = fopen(workbook_path, "wb");
    if (file == NULL)
        return 0;
    int ok = fwrite(data, 1, size, file) == size;
    return fclose(file) == 0 && ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!write_input(data, size))
        return 0;
    ao_diags diags;
    ao_diags_init(&diags);
    ao_tableset *set = NULL;
    ao_error err = ao_xlsx_read(workbook_path, &set, &diags);
    FUZZ_CHECK(err == AO_NO_ERROR || err == AO_ERROR_INPUT || err == AO_ERROR_FILE_OPEN ||
               err == AO_ERROR_MEMORY_MALLOC_FAILED);
    FUZZ_CHECK((err == AO_NO_ERROR) == (set != NULL));
    if (err != AO_NO_ERROR)
        FUZZ_CHECK(diags.n_errors > 0 || err == AO_ERROR_MEMORY_MALLOC_FAILED);
    for (size_t k = 0; k < diags.count; k++) {
        FUZZ_CHECK(diags.items[k].file != NULL);
        char *line = ao_diag_format(&diags.items[k]);
        FUZZ_CHECK(line != NULL);
        free(line);
    }
    for (size_t t = 0; set != NULL && t < set->n_tables; t++) {
        const ao_table *table = set->tables[t];
        FUZZ_CHECK(table->from_workbook);
        for (size_t c = 1; c < table->n_cols; c++)
            FUZZ_CHECK(table->sheet_cols[c] > table->sheet_cols[c - 1]);
        for (size_t c = 0; c < table->n_cols; c++)
            FUZZ_CHECK(table->sheet_cols[c] < AO_XLSX_MAX_COLS);
        for (size_t r = 0; r < table->n_rows; r++) {
            FUZZ_CHECK(table->row_numbers[r] >= 2 && table->row_numbers[r] <= AO_XLSX_MAX_ROWS);
            if (r > 0)
                FUZZ_CHECK(table->row_numbers[r] > table->row_numbers[r - 1]);
            for (size_t c = 0; c < table->n_cols; c++) {
                ao_loc loc;
                char ref[24];
                ao_table_loc(table, r, (long)c, &loc, ref);
                FUZZ_CHECK(loc.cell != NULL && loc.cell[0] != '\0');
            }
        }
    }
    ao_tableset_free(set);
    ao_diags_free(&diags);
    return 0;
}
