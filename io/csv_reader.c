#include "io/csv_reader.h"

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strutil.h"

/*
 * libcsv does the quoting rules; this file adds what libcsv does not know:
 * source row numbers, the header, encoding checks and messages.
 *
 * libcsv reports neither line numbers nor byte offsets, so the text is handed
 * to it one physical line at a time. An unquoted line break always ends a
 * record, so a record that does not end within its line is inside a quoted
 * cell; this is how a record's first line, and the line where an unclosed
 * quote opened, are known.
 */

/* Quoting rules enforced (CSV_STRICT, with CSV_STRICT_FINI for a quote still open at
 * the end), cells NUL-terminated, and empty unquoted cells passed as NULL. */
#define CSV_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL)

/* Encoding problems listed per file; a file saved in another encoding has thousands. */
#define MAX_ENCODING_REPORTS 5

/* Quoting problems listed per file before reading stops. */
#define MAX_QUOTE_REPORTS 20

/* Bytes in a megabyte, for file sizes in messages. */
#define BYTES_PER_MB (1024.0 * 1024.0)

/* What a header cell turned out to be. */
enum heading_kind {
    HEADING_NAMED = 0, ///< A column of the table.
    HEADING_EMPTY,     ///< No heading: data under it is an error.
    HEADING_DUPLICATE  ///< Repeats an earlier heading (already reported).
};

typedef struct csv_reader {
    ao_table *table;
    ao_diags *diags;
    ao_error fatal; ///< First memory error; stops reading.

    long line;        ///< Source line being handed to libcsv (1-based).
    long record_line; ///< First line of the record being read; 0 between records.
    long field_line;  ///< Line where the cell being read began.

    char **fields; ///< Cells of the record being read (owned; NULL = empty).
    size_t n_fields;
    size_t cap_fields;

    int have_header;
    long header_line;
    size_t n_header_fields; ///< Cells in the header row, named or not.
    long *column_of;        ///< Table column of each header cell, or -1.
    unsigned char *heading; ///< enum heading_kind of each header cell.
    unsigned char *empty_heading_reported;
    const char **row_cells; ///< Scratch row handed to ao_table_add_row.

    size_t encoding_problems;
    size_t quote_problems;
} csv_reader;

/* Record a memory error from ao_diags_add; input problems themselves never stop reading. */
static void keep_fatal(csv_reader *r, ao_error err)
{
    if (err != AO_NO_ERROR && r->fatal == AO_NO_ERROR)
        r->fatal = err;
}

/* Location in the file being read; column may be a heading or a column number. */
static ao_loc reader_loc(const csv_reader *r, long row, const char *column)
{
    ao_loc loc = {.file = r->table->file, .table = r->table->name, .row = row, .column = column};
    return loc;
}

/*
 * Check that data holds valid UTF-8 (no overlong forms, no surrogates, nothing
 * past U+10FFFF). Returns the offset of the first bad byte, or length when valid.
 */
static size_t utf8_invalid_at(const unsigned char *data, size_t length)
{
    size_t k = 0;
    while (k < length) {
        unsigned char c = data[k];
        size_t extra;
        unsigned char low = 0x80, high = 0xBF;
        if (c < 0x80) {
            k++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0)
                low = 0xA0; /* overlong */
            else if (c == 0xED)
                high = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0)
                low = 0x90; /* overlong */
            else if (c == 0xF4)
                high = 0x8F; /* past U+10FFFF */
        } else {
            return k;
        }
        if (length - k <= extra)
            return k;
        if (data[k + 1] < low || data[k + 1] > high)
            return k;
        for (size_t j = 2; j <= extra; j++)
            if (data[k + j] < 0x80 || data[k + j] > 0xBF)
                return k;
        k += extra + 1;
    }
    return length;
}

/* Column label for a message about header cell k: its heading, or its number. */
static const char *column_label(const csv_reader *r, size_t k, char number[24])
{
    if (r->have_header && k < r->n_header_fields && r->column_of[k] >= 0)
        return r->table->header_text[r->column_of[k]];
    snprintf(number, 24, "%zu", k + 1);
    return number;
}

/*
 * Report bytes that are not UTF-8 and replace them with '?', so that later
 * messages quoting the cell, and JSON output, stay valid text.
 */
static void check_encoding(csv_reader *r, char *text, size_t length)
{
    size_t bad = utf8_invalid_at((const unsigned char *)text, length);
    if (bad == length)
        return;
    unsigned char first_bad = (unsigned char)text[bad];
    long row = r->record_line;
    if (r->encoding_problems < MAX_ENCODING_REPORTS) {
        char number[24];
        ao_loc loc = reader_loc(r, row, column_label(r, r->n_fields, number));
        const char *hint =
            first_bad == 0xA3 ? " (0xA3 is the pound sign in the Windows encoding)" : "";
        keep_fatal(r, ao_diags_add(r->diags, AO_DIAG_ERROR, &loc,
                                   "the cell holds text that is not valid UTF-8: byte 0x%02X at "
                                   "position %zu%s; save the file as 'CSV UTF-8 (Comma "
                                   "delimited)'",
                                   first_bad, bad + 1, hint));
    } else if (r->encoding_problems == MAX_ENCODING_REPORTS) {
        ao_loc loc = reader_loc(r, row, NULL);
        keep_fatal(r, ao_diags_add(r->diags, AO_DIAG_ERROR, &loc,
                                   "more cells hold text that is not valid UTF-8; only the "
                                   "first %d are listed",
                                   MAX_ENCODING_REPORTS));
    }
    r->encoding_problems++;
    while (bad < length) {
        size_t valid = utf8_invalid_at((const unsigned char *)text + bad, length - bad);
        if (valid == 0) {
            text[bad++] = '?';
        } else {
            bad += valid;
        }
    }
}

/* libcsv: one cell has been read. */
static void on_field(void *data, size_t length, void *user)
{
    csv_reader *r = user;
    if (r->fatal != AO_NO_ERROR)
        return;
    if (r->n_fields == r->cap_fields) {
        size_t capacity = r->cap_fields ? 2 * r->cap_fields : 32;
        char **fields = realloc(r->fields, capacity * sizeof *fields);
        if (fields == NULL) {
            r->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        r->fields = fields;
        r->cap_fields = capacity;
    }
    char *copy = NULL;
    if (data != NULL && length > 0) {
        copy = ao_strndup(data, length);
        if (copy == NULL) {
            r->fatal = AO_ERROR_MEMORY_MALLOC_FAILED;
            return;
        }
        check_encoding(r, copy, length);
    }
    r->fields[r->n_fields++] = copy;
    /* The next cell starts right after this one's comma, on the line being read. */
    r->field_line = r->line;
}

static void clear_fields(csv_reader *r)
{
    for (size_t k = 0; k < r->n_fields; k++)
        free(r->fields[k]);
    r->n_fields = 0;
}

static int record_is_blank(const csv_reader *r)
{
    for (size_t k = 0; k < r->n_fields; k++)
        if (!ao_is_blank(r->fields[k]))
            return 0;
    return 1;
}

/* The first non-blank record: check the headings and give the table its columns. */
static ao_error take_header(csv_reader *r)
{
    ao_error err = AO_NO_ERROR;
    size_t n = r->n_fields;
    const char **names = calloc(n, sizeof *names);
    r->column_of = calloc(n, sizeof *r->column_of);
    r->heading = calloc(n, 1);
    r->empty_heading_reported = calloc(n, 1);
    r->row_cells = calloc(n, sizeof *r->row_cells);
    AO_GOTO_ON_MEM_ERROR(names, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(r->column_of, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(r->heading, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(r->empty_heading_reported, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(r->row_cells, err, cleanup);
    r->have_header = 1;
    r->header_line = r->record_line;
    r->n_header_fields = n;

    size_t n_cols = 0;
    for (size_t k = 0; k < n; k++) {
        const char *text = r->fields[k];
        r->column_of[k] = -1;
        if (ao_is_blank(text)) {
            /* Spreadsheets often leave empty trailing columns; only data under them is wrong. */
            r->heading[k] = HEADING_EMPTY;
            continue;
        }
        size_t earlier = 0;
        while (earlier < n_cols && !ao_name_equal(names[earlier], text))
            earlier++;
        if (earlier < n_cols) {
            size_t first_k = 0;
            while (r->column_of[first_k] != (long)earlier)
                first_k++;
            char number[24];
            snprintf(number, sizeof number, "%zu", k + 1);
            ao_loc loc = reader_loc(r, r->header_line, number);
            AO_GOTO_ON_ERROR(ao_diags_add(r->diags, AO_DIAG_ERROR, &loc,
                                          "column %zu has the heading '%s', which repeats the "
                                          "heading of column %zu (headings are matched ignoring "
                                          "case and surrounding spaces); rename or remove one",
                                          k + 1, text, first_k + 1),
                             err, cleanup);
            r->heading[k] = HEADING_DUPLICATE;
            continue;
        }
        r->heading[k] = HEADING_NAMED;
        r->column_of[k] = (long)n_cols;
        names[n_cols++] = text;
    }
    AO_GOTO_ON_ERROR(ao_table_set_headers(r->table, n_cols, names, NULL), err, cleanup);

cleanup:
    free(names);
    return err;
}

/* A data record: check its shape and add it to the table. */
static ao_error take_row(csv_reader *r)
{
    size_t used = r->n_fields;
    while (used > 0 && ao_is_blank(r->fields[used - 1]))
        used--;
    if (used > r->n_header_fields) {
        /* Trailing empty cells are harmless; a value with no column is not. */
        char number[24], letters[8];
        snprintf(number, sizeof number, "%zu", r->n_header_fields + 1);
        ao_column_letters(r->n_header_fields, letters);
        ao_loc loc = reader_loc(r, r->record_line, number);
        AO_RETURN_ON_ERROR(ao_diags_add(
            r->diags, AO_DIAG_ERROR, &loc,
            "row %ld has %zu cells but the header has %zu columns; the extra cells from column "
            "%zu (column %s in a spreadsheet) have no heading",
            r->record_line, used, r->n_header_fields, r->n_header_fields + 1, letters));
    }
    for (size_t k = 0; k < r->n_header_fields && k < r->n_fields; k++) {
        if (r->heading[k] != HEADING_EMPTY || r->empty_heading_reported[k] ||
            ao_is_blank(r->fields[k]))
            continue;
        char number[24], letters[8];
        snprintf(number, sizeof number, "%zu", k + 1);
        ao_column_letters(k, letters);
        ao_loc loc = reader_loc(r, r->record_line, number);
        AO_RETURN_ON_ERROR(ao_diags_add(
            r->diags, AO_DIAG_ERROR, &loc,
            "column %zu (column %s in a spreadsheet) has no heading in the header row (row %ld) "
            "but row %ld has a value in it; add a heading or remove the values",
            k + 1, letters, r->header_line, r->record_line));
        r->empty_heading_reported[k] = 1;
    }
    for (size_t c = 0; c < r->table->n_cols; c++)
        r->row_cells[c] = NULL;
    for (size_t k = 0; k < r->n_header_fields && k < r->n_fields; k++)
        if (r->column_of[k] >= 0)
            r->row_cells[r->column_of[k]] = r->fields[k];
    return ao_table_add_row(r->table, r->row_cells, r->record_line);
}

/* libcsv: a record has ended. */
static void on_record(int terminator, void *user)
{
    (void)terminator;
    csv_reader *r = user;
    if (r->fatal == AO_NO_ERROR) {
        if (!r->have_header) {
            if (!record_is_blank(r))
                keep_fatal(r, take_header(r));
        } else {
            keep_fatal(r, take_row(r));
        }
    }
    clear_fields(r);
    r->record_line = 0;
}

/* Only spaces and tabs before the line break: libcsv reports nothing for it. */
static int line_is_blank(const char *line, size_t length)
{
    for (size_t k = 0; k < length; k++)
        if (line[k] != ' ' && line[k] != '\t' && line[k] != '\r' && line[k] != '\n')
            return 0;
    return 1;
}

/* Length of the line starting at data, with its CRLF, LF or CR. */
static size_t line_length(const char *data, size_t length)
{
    for (size_t k = 0; k < length; k++) {
        if (data[k] == '\n')
            return k + 1;
        if (data[k] == '\r')
            return (k + 1 < length && data[k + 1] == '\n') ? k + 2 : k + 1;
    }
    return length;
}

/* Source line of the first occurrence of byte offset `at`. */
static long line_of_offset(const char *data, size_t at)
{
    long line = 1;
    size_t k = 0;
    while (k < at) {
        size_t n = line_length(data + k, at - k);
        k += n;
        if (k <= at && (data[k - 1] == '\n' || data[k - 1] == '\r'))
            line++;
    }
    return line;
}

/* Report a quoting error found on the current line; the record is dropped. */
static void report_quote_error(csv_reader *r)
{
    ao_loc loc = reader_loc(r, r->line, NULL);
    char where[64] = "";
    if (r->record_line != 0 && r->record_line != r->line)
        snprintf(where, sizeof where, " (in the record that starts on row %ld)", r->record_line);
    keep_fatal(r, ao_diags_add(r->diags, AO_DIAG_ERROR, &loc,
                               "row %ld has a misplaced quote (\")%s: a quoted cell must end "
                               "with a quote followed by a comma or the end of the line, and a "
                               "quote inside a cell must be written twice (\"\")",
                               r->line, where));
    r->quote_problems++;
}

static void free_reader(csv_reader *r)
{
    clear_fields(r);
    free(r->fields);
    free(r->column_of);
    free(r->heading);
    free(r->empty_heading_reported);
    free(r->row_cells);
}

/* Checks on the whole text before parsing; returns 0 when it cannot be read as CSV. */
static int text_is_readable(csv_reader *r, const char *data, size_t length, ao_loc *file_loc)
{
    if (length >= 2 && ((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE)) {
        keep_fatal(r, ao_diags_add(r->diags, AO_DIAG_ERROR, file_loc,
                                   "the file is saved as UTF-16 text; save it as 'CSV UTF-8 "
                                   "(Comma delimited)'"));
        return 0;
    }
    if (length >= 2 && ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)) {
        keep_fatal(r, ao_diags_add(r->diags, AO_DIAG_ERROR, file_loc,
                                   "the file is saved as UTF-16 text; save it as 'CSV UTF-8 "
                                   "(Comma delimited)'"));
        return 0;
    }
    const char *nul = memchr(data, '\0', length);
    if (nul != NULL) {
        long line = line_of_offset(data, (size_t)(nul - data));
        ao_loc loc = *file_loc;
        loc.row = line;
        keep_fatal(r, ao_diags_add(r->diags, AO_DIAG_ERROR, &loc,
                                   "row %ld contains a NUL byte (character code 0), so this is "
                                   "not a plain CSV text file; it may be a workbook or UTF-16 "
                                   "file saved with a .csv name",
                                   line));
        return 0;
    }
    return 1;
}

/* Start libcsv afresh; 0 when out of memory. */
/* libcsv's own default block size. */
#define CSV_MIN_BLOCK 128

static int parser_init(struct csv_parser *parser)
{
    return csv_init(parser, CSV_OPTIONS) == 0;
}

ao_error ao_csv_read_buffer(const char *data, size_t length, const char *table_name,
                            const char *file_label, ao_table **out, ao_diags *diags)
{
    if (out == NULL || diags == NULL || (data == NULL && length > 0))
        return AO_ERROR_NULL_PARAMETER;
    *out = NULL;
    ao_error err = AO_NO_ERROR;
    struct csv_parser parser;
    int parser_ready = 0;
    int usable = 0; /* Set once the text has been read into a table worth returning. */
    csv_reader r = {0};
    r.diags = diags;
    r.table = ao_table_new(table_name, file_label);
    AO_GOTO_ON_MEM_ERROR(r.table, err, cleanup);
    ao_loc file_loc = reader_loc(&r, 0, NULL);

    if (length > AO_CSV_MAX_FILE_BYTES) {
        err = ao_diags_add(diags, AO_DIAG_ERROR, &file_loc,
                           "the file is %.0f MB, more than the %.0f MB a CSV file may hold",
                           (double)length / BYTES_PER_MB, AO_CSV_MAX_FILE_BYTES / BYTES_PER_MB);
        goto cleanup;
    }
    size_t pos = 0;
    if (length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    if (pos == length) {
        err = ao_diags_add(diags, AO_DIAG_ERROR, &file_loc, "the file is empty");
        goto cleanup;
    }
    if (!text_is_readable(&r, data + pos, length - pos, &file_loc)) {
        err = r.fatal;
        goto cleanup;
    }

    parser_ready = parser_init(&parser);
    if (!parser_ready) {
        err = AO_ERROR_MEMORY_MALLOC_FAILED;
        goto cleanup;
    }
    r.line = 1;
    while (pos < length && r.fatal == AO_NO_ERROR) {
        size_t n = line_length(data + pos, length - pos);
        if (r.record_line == 0 && !line_is_blank(data + pos, n)) {
            r.record_line = r.line;
            r.field_line = r.line;
        }
        /* libcsv grows a cell's buffer by its block size at a time; a block as long as
         * the line makes one huge cell one reallocation instead of quadratic copying. */
        csv_set_blk_size(&parser, n > CSV_MIN_BLOCK ? n : CSV_MIN_BLOCK);
        size_t parsed = csv_parse(&parser, data + pos, n, on_field, on_record, &r);
        if (parsed < n && r.fatal == AO_NO_ERROR) {
            if (csv_error(&parser) != CSV_EPARSE) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
                goto cleanup;
            }
            report_quote_error(&r);
            /* Start afresh on the next line: drop the broken record and libcsv's state. */
            csv_free(&parser);
            parser_ready = parser_init(&parser);
            if (!parser_ready) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
                goto cleanup;
            }
            clear_fields(&r);
            r.record_line = 0;
            if (r.quote_problems >= MAX_QUOTE_REPORTS) {
                ao_loc loc = reader_loc(&r, r.line, NULL);
                AO_GOTO_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                              "reading stopped after %d quoting problems",
                                              MAX_QUOTE_REPORTS),
                                 err, cleanup);
                break;
            }
        }
        pos += n;
        if (data[pos - 1] == '\n' || data[pos - 1] == '\r')
            r.line++;
    }
    AO_GOTO_ON_ERROR(r.fatal, err, cleanup);
    if (pos >= length && csv_fini(&parser, on_field, on_record, &r) != 0) {
        ao_loc loc = reader_loc(&r, r.field_line, NULL);
        AO_GOTO_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                      "a quoted cell that starts on row %ld is never closed: "
                                      "its closing quote (\") is missing, so everything after "
                                      "it to the end of the file was read as one cell",
                                      r.field_line),
                         err, cleanup);
    }
    AO_GOTO_ON_ERROR(r.fatal, err, cleanup);

    if (!r.have_header) {
        err = ao_diags_add(diags, AO_DIAG_ERROR, &file_loc,
                           "the file holds only blank lines; its first row should hold the "
                           "column headings");
        goto cleanup;
    }
    usable = 1;

cleanup:
    if (err == AO_NO_ERROR && usable) {
        *out = r.table;
        r.table = NULL;
    }
    if (parser_ready)
        csv_free(&parser);
    free_reader(&r);
    ao_table_free(r.table);
    return err;
}

static int ends_with_csv(const char *name)
{
    size_t length = strlen(name);
    return length > 4 && ao_name_equal(name + length - 4, ".csv");
}

/* The table a file holds: its name without the folder and without ".csv". */
static char *table_name_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t length = strlen(base);
    if (ends_with_csv(base))
        length -= 4;
    return ao_strndup(base, length);
}

ao_error ao_csv_read_file(const char *path, ao_table **out, ao_diags *diags)
{
    if (path == NULL || out == NULL || diags == NULL)
        return AO_ERROR_NULL_PARAMETER;
    *out = NULL;
    ao_error err = AO_NO_ERROR;
    char *data = NULL;
    char *table_name = NULL;
    ao_loc loc = {.file = path};
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        int cause = errno;
        AO_GOTO_ON_ERROR(
            ao_diags_add(diags, AO_DIAG_ERROR, &loc, "cannot open the file: %s", strerror(cause)),
            err, cleanup);
        err = AO_ERROR_FILE_OPEN;
        goto cleanup;
    }
    struct stat info;
    if (fstat(fileno(file), &info) != 0 || !S_ISREG(info.st_mode)) {
        AO_GOTO_ON_ERROR(
            ao_diags_add(diags, AO_DIAG_ERROR, &loc, "this is not a file that can be read as CSV"),
            err, cleanup);
        err = AO_ERROR_FILE_READ;
        goto cleanup;
    }
    /* Checked before reading, so that a huge file is never loaded into memory. */
    if ((unsigned long long)info.st_size > AO_CSV_MAX_FILE_BYTES) {
        AO_GOTO_ON_ERROR(ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                                      "the file is %.0f MB, more than the %.0f MB a CSV file "
                                      "may hold",
                                      (double)info.st_size / BYTES_PER_MB,
                                      AO_CSV_MAX_FILE_BYTES / BYTES_PER_MB),
                         err, cleanup);
        err = AO_ERROR_FILE_READ;
        goto cleanup;
    }
    size_t size = (size_t)info.st_size;
    data = malloc(size + 1);
    AO_GOTO_ON_MEM_ERROR(data, err, cleanup);
    size_t got = fread(data, 1, size, file);
    if (ferror(file)) {
        int cause = errno;
        AO_GOTO_ON_ERROR(
            ao_diags_add(diags, AO_DIAG_ERROR, &loc, "cannot read the file: %s", strerror(cause)),
            err, cleanup);
        err = AO_ERROR_FILE_READ;
        goto cleanup;
    }
    table_name = table_name_of(path);
    AO_GOTO_ON_MEM_ERROR(table_name, err, cleanup);
    /* A file that shrank while being read is read as far as it goes. */
    err = ao_csv_read_buffer(data, got, table_name, path, out, diags);

cleanup:
    if (file != NULL)
        fclose(file);
    free(data);
    free(table_name);
    return err;
}

/* Sort order of file names: as a person reads them, ties broken byte by byte. */
static int compare_names(const void *a, const void *b)
{
    const char *x = *(const char *const *)a;
    const char *y = *(const char *const *)b;
    for (size_t k = 0;; k++) {
        int cx = (unsigned char)x[k], cy = (unsigned char)y[k];
        if (cx >= 'A' && cx <= 'Z')
            cx += 'a' - 'A';
        if (cy >= 'A' && cy <= 'Z')
            cy += 'a' - 'A';
        if (cx != cy)
            return cx - cy;
        if (cx == 0)
            break;
    }
    return strcmp(x, y);
}

/* A CSV file of the folder worth reading. */
static int wanted_file(const char *dir, const char *name, int *ok)
{
    *ok = 1;
    /* Hidden files include macOS "._name.csv" copies, which hold no table. Names starting
     * with "~$" are office lock files. */
    if (name[0] == '.' || (name[0] == '~' && name[1] == '$') || !ends_with_csv(name))
        return 0;
    char *path = ao_asprintf("%s/%s", dir, name);
    if (path == NULL) {
        *ok = 0;
        return 0;
    }
    struct stat info;
    int regular = stat(path, &info) == 0 && S_ISREG(info.st_mode);
    free(path);
    return regular;
}

ao_error ao_csv_read_folder(const char *dir, ao_tableset **out, ao_diags *diags)
{
    if (dir == NULL || out == NULL || diags == NULL)
        return AO_ERROR_NULL_PARAMETER;
    *out = NULL;
    ao_error err = AO_NO_ERROR;
    char **names = NULL;
    size_t n_names = 0, cap_names = 0;
    ao_tableset *set = NULL;
    char *base = NULL;
    ao_loc loc = {.file = dir};
    DIR *folder = opendir(dir);
    if (folder == NULL) {
        int cause = errno;
        AO_GOTO_ON_ERROR(
            ao_diags_add(diags, AO_DIAG_ERROR, &loc, "cannot open the folder: %s", strerror(cause)),
            err, cleanup);
        err = AO_ERROR_FILE_OPEN;
        goto cleanup;
    }
    /* Without a trailing slash, so that messages read "in/budgets.csv", not "in//…". */
    size_t dir_length = strlen(dir);
    while (dir_length > 1 && dir[dir_length - 1] == '/')
        dir_length--;
    base = ao_strndup(dir, dir_length);
    AO_GOTO_ON_MEM_ERROR(base, err, cleanup);

    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        int ok;
        if (!wanted_file(base, entry->d_name, &ok)) {
            if (!ok) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
                break;
            }
            continue;
        }
        if (n_names == cap_names) {
            size_t capacity = cap_names ? 2 * cap_names : 16;
            char **grown = realloc(names, capacity * sizeof *grown);
            if (grown == NULL) {
                err = AO_ERROR_MEMORY_MALLOC_FAILED;
                break;
            }
            names = grown;
            cap_names = capacity;
        }
        names[n_names] = ao_strdup(entry->d_name);
        if (names[n_names] == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        n_names++;
    }
    if (err != AO_NO_ERROR)
        goto cleanup;
    /* readdir's order depends on the file system; sorting makes runs repeatable. */
    if (n_names > 1)
        qsort(names, n_names, sizeof *names, compare_names);

    set = ao_tableset_new(dir);
    AO_GOTO_ON_MEM_ERROR(set, err, cleanup);
    if (n_names == 0)
        err = ao_diags_add(diags, AO_DIAG_ERROR, &loc,
                           "the folder holds no CSV files (files named <table>.csv, such as "
                           "budgets.csv)");
    for (size_t k = 0; k < n_names && err == AO_NO_ERROR; k++) {
        char *path = ao_asprintf("%s/%s", base, names[k]);
        if (path == NULL) {
            err = AO_ERROR_MEMORY_MALLOC_FAILED;
            break;
        }
        ao_table *table = NULL;
        err = ao_csv_read_file(path, &table, diags);
        /* A file that cannot be read is reported; the other tables are still read. */
        if (err == AO_ERROR_FILE_OPEN || err == AO_ERROR_FILE_READ)
            err = AO_NO_ERROR;
        if (err == AO_NO_ERROR && table != NULL) {
            ao_table *earlier = ao_tableset_find(set, table->name);
            if (earlier != NULL) {
                ao_loc file_loc = {.file = path, .table = table->name};
                err = ao_diags_add(diags, AO_DIAG_ERROR, &file_loc,
                                   "%s also holds table %s (file names are matched ignoring "
                                   "case); keep only one of the two files",
                                   earlier->file, table->name);
                ao_table_free(table);
            } else {
                err = ao_tableset_add(set, table);
            }
        }
        free(path);
    }
    if (err == AO_NO_ERROR) {
        *out = set;
        set = NULL;
    }

cleanup:
    if (folder != NULL)
        closedir(folder);
    for (size_t k = 0; k < n_names; k++)
        free(names[k]);
    free(names);
    free(base);
    ao_tableset_free(set);
    return err;
}
