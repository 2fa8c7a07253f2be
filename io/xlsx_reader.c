#include "io/xlsx_reader.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "common/strutil.h"

/*
 * An .xlsx file is a zip archive of XML parts (Office Open XML, ECMA-376):
 * xl/workbook.xml lists the sheets, xl/_rels/workbook.xml.rels says which part
 * holds each one, xl/sharedStrings.xml holds the text that cells refer to by
 * number, and xl/worksheets/sheetN.xml holds each sheet's cells.
 *
 * Every part is streamed: zip_fread inflates a chunk straight into expat's
 * buffer, and expat calls the handlers below. Only the shared strings and the
 * row being read are kept; each finished row goes into its table at once.
 *
 * The input may be a file from anywhere, so nothing in it is trusted: sizes are
 * counted while inflating, DOCTYPEs are refused before any entity can be
 * declared, and every reference is checked against Excel's limits.
 */

/* Bytes inflated and handed to expat at a time. */
#define CHUNK_BYTES (64 * 1024)

/* Separates a namespace URI from a local name in expat's element names. No XML name or
 * URI can hold this character, so the local name is whatever follows it. */
#define NS_SEPARATOR '\x01'

/* Problems in one sheet that show a damaged file, listed before reading of the sheet
 * stops: past this the file is plainly not a workbook worth reading cell by cell. */
#define MAX_DAMAGE_REPORTS 20

/* Bytes in a megabyte, for sizes in messages. */
#define BYTES_PER_MB (1024.0 * 1024.0)

/* Most bytes of text from the file quoted in a message. */
#define EXCERPT_BYTES 40

/* The first bytes of an OLE compound file: an old .xls workbook, or any workbook that
 * Excel has encrypted with a password to open. */
static const unsigned char OLE_SIGNATURE[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Said after a message about a damaged file: what the analyst can do about it. */
#define RESAVE_HINT "open it in Excel and save it again as an Excel Workbook (.xlsx)"

/* ---- the reader ---- */

/** A sheet as xl/workbook.xml lists it. */
typedef struct sheet_entry {
    char *name;   ///< Sheet name as written.
    char *rel_id; ///< Relationship id (r:id) naming its part.
} sheet_entry;

/** A relationship of xl/_rels/workbook.xml.rels. */
typedef struct rel_entry {
    char *id;     ///< "rId1".
    char *type;   ///< Relationship type URI.
    char *target; ///< Zip entry name of the target part, resolved; "" when invalid.
} rel_entry;

typedef struct xlsx_reader {
    const char *path;
    ao_diags *diags;
    ao_xlsx_limits limits;
    zip_t *archive;
    ao_error fatal;                 ///< First memory error; stops reading.
    int refused;                    ///< The file is damaged or unsafe: no tables are returned.
    int stop_all;                   ///< Stop reading further parts (total size exceeded).
    unsigned long long total_bytes; ///< Bytes inflated so far, all parts.

    sheet_entry *sheets;
    size_t n_sheets, cap_sheets;
    rel_entry *rels;
    size_t n_rels, cap_rels;

    int has_strings;                ///< The workbook has a shared strings part.
    int no_strings_reported;        ///< Cells referring to missing shared strings reported.
    char **strings;                 ///< Shared strings; NULL for an empty one.
    unsigned char *string_too_long; ///< 1 for a shared string longer than a cell may hold.
    size_t n_strings, cap_strings;
} xlsx_reader;

/* Record a memory error; input problems never stop reading by themselves. */
static void keep_fatal(xlsx_reader *r, ao_error err)
{
    if (err != AO_NO_ERROR && r->fatal == AO_NO_ERROR)
        r->fatal = err;
}

static void add_diag_v(xlsx_reader *r, ao_severity severity, const ao_loc *loc, const char *fmt,
                       va_list args)
{
    char *text = ao_vasprintf(fmt, args);
    if (text == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    keep_fatal(r, ao_diags_add(r->diags, severity, loc, "%s", text));
    free(text);
}

/* A problem an analyst can fix in Excel; the tables are still returned. */
static void report(xlsx_reader *r, ao_severity severity, const ao_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(xlsx_reader *r, ao_severity severity, const ao_loc *loc, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    add_diag_v(r, severity, loc, fmt, args);
    va_end(args);
}

/* A damaged or unsafe file: recorded as an error, and no tables are returned. */
static void refuse(xlsx_reader *r, const ao_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refuse(xlsx_reader *r, const ao_loc *loc, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    add_diag_v(r, AO_DIAG_ERROR, loc, fmt, args);
    va_end(args);
    r->refused = 1;
}

/* ---- text helpers ---- */

/** Text being gathered from character data, with Excel's cell length counted. */
typedef struct text_buf {
    char *data;
    size_t length;
    size_t capacity;
    size_t units; ///< UTF-16 code units, as Excel counts a cell's length.
    int too_long; ///< Set once past the limit; nothing more is kept.
} text_buf;

static void text_reset(text_buf *b)
{
    b->length = 0;
    b->units = 0;
    b->too_long = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

/* Append bytes; 0 when out of memory. Past max_units the text is marked too long. */
static int text_append(text_buf *b, const char *s, size_t n, size_t max_units)
{
    if (b->too_long)
        return 1;
    size_t units = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        /* Lead bytes start characters; a four-byte one is a surrogate pair in UTF-16. */
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1;
    }
    if (b->units + units > max_units) {
        b->too_long = 1;
        return 1;
    }
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 256;
        while (capacity < b->length + n + 1)
            capacity *= 2;
        char *data = realloc(b->data, capacity);
        if (data == NULL)
            return 0;
        b->data = data;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, s, n);
    b->length += n;
    b->data[b->length] = '\0';
    b->units += units;
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Excel writes characters that XML cannot hold, and a literal "_x", as "_xHHHH_"
 * ("_x000D_" for a carriage return, "_x005F_" for "_"). Decode them in place; the
 * UTF-8 form is never longer than the escape. NUL and surrogates stay as written.
 */
static void decode_escapes(char *text)
{
    char *in = text, *out = text;
    while (*in != '\0') {
        if (in[0] == '_' && in[1] == 'x') {
            int digits[4], ok = 1;
            for (int k = 0; k < 4 && ok; k++) {
                digits[k] = hex_value(in[2 + k]);
                ok = digits[k] >= 0;
            }
            if (ok && in[6] == '_') {
                unsigned code =
                    (unsigned)(digits[0] << 12 | digits[1] << 8 | digits[2] << 4 | digits[3]);
                if (code != 0 && (code < 0xD800 || code > 0xDFFF)) {
                    if (code < 0x80) {
                        *out++ = (char)code;
                    } else if (code < 0x800) {
                        *out++ = (char)(0xC0 | code >> 6);
                        *out++ = (char)(0x80 | (code & 0x3F));
                    } else {
                        *out++ = (char)(0xE0 | code >> 12);
                        *out++ = (char)(0x80 | ((code >> 6) & 0x3F));
                        *out++ = (char)(0x80 | (code & 0x3F));
                    }
                    in += 7;
                    continue;
                }
            }
        }
        *out++ = *in++;
    }
    *out = '\0';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Text from the file for a message: at most EXCERPT_BYTES bytes, cut between two
 * characters, with "..." when cut, so a damaged file cannot flood the messages. */
static void excerpt(const char *text, char out[EXCERPT_BYTES + 4])
{
    size_t n = strlen(text);
    if (n <= EXCERPT_BYTES) {
        memcpy(out, text, n + 1);
        return;
    }
    n = EXCERPT_BYTES;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    memcpy(out, text, n);
    strcpy(out + n, "...");
}

/*
 * Numbers keep the text the workbook stores: Excel writes the shortest decimal that
 * reads back as the same double, so re-printing it could only lose or add digits.
 * Other writers may add a fraction of zeros ("2025.0"), which is dropped so that a
 * year or an id typed as a number reads as typed.
 */
static void trim_fraction_zeros(char *text)
{
    char *p = text;
    if (*p == '-')
        p++;
    if (!is_digit(*p))
        return;
    while (is_digit(*p))
        p++;
    if (*p != '.')
        return;
    char *point = p++;
    while (is_digit(*p))
        p++;
    if (*p != '\0')
        return; /* An exponent, or not a plain number: keep it as written. */
    char *end = p;
    while (end > point + 1 && end[-1] == '0')
        end--;
    if (end == point + 1)
        end = point;
    *end = '\0';
}

/* The local part of a name from a namespace-aware expat parser. */
static const char *local_name(const XML_Char *name)
{
    const char *sep = strrchr(name, NS_SEPARATOR);
    return sep ? sep + 1 : name;
}

/* The value of an attribute, by local name, or NULL. */
static const char *attribute(const XML_Char **atts, const char *name)
{
    for (size_t k = 0; atts[k] != NULL; k += 2)
        if (strcmp(local_name(atts[k]), name) == 0)
            return atts[k + 1];
    return NULL;
}

/* True when text ends with suffix. */
static int ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

/*
 * Parse a cell reference such as "AB12". Returns 0 when the text is not one.
 * Values past Excel's limits are capped just past them, so they never overflow
 * and the caller can say which limit is passed.
 */
static int parse_ref(const char *ref, size_t *col, long *row)
{
    const char *p = ref;
    size_t column = 0;
    int letters = 0;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        int letter = (*p >= 'a' ? *p - 'a' : *p - 'A') + 1;
        if (column <= AO_XLSX_MAX_COLS)
            column = column * 26 + (size_t)letter;
        letters++;
        p++;
    }
    long number = 0;
    int digits = 0;
    while (is_digit(*p)) {
        if (number <= AO_XLSX_MAX_ROWS)
            number = number * 10 + (*p - '0');
        digits++;
        p++;
    }
    if (letters == 0 || digits == 0 || *p != '\0')
        return 0;
    *col = column > AO_XLSX_MAX_COLS ? AO_XLSX_MAX_COLS : column - 1;
    *row = number;
    return 1;
}

/* Parse a row number ("12"); 0 when not one. Capped just past Excel's limit. */
static int parse_row_number(const char *text, long *row)
{
    long number = 0;
    const char *p = text;
    while (is_digit(*p)) {
        if (number <= AO_XLSX_MAX_ROWS)
            number = number * 10 + (*p - '0');
        p++;
    }
    if (p == text || *p != '\0')
        return 0;
    *row = number;
    return 1;
}

/* ---- streaming one part through expat ---- */

/* Why a handler stopped the parser. */
enum stop_reason {
    STOP_NONE = 0,
    STOP_DOCTYPE, ///< A DOCTYPE or an entity declaration: refused.
    STOP_DONE     ///< The handler has already said why (or ran out of memory).
};

/** What every part's handlers share; the first member of each part's context. */
typedef struct part_ctx {
    xlsx_reader *reader;
    XML_Parser parser;
    const char *part;  ///< Zip entry name, for messages.
    const char *sheet; ///< Sheet name as written, or NULL for workbook-wide parts.
    const char *table; ///< Table name for locations, or NULL.
    enum stop_reason stop;
} part_ctx;

static void stop_parser(part_ctx *ctx, enum stop_reason reason)
{
    if (ctx->stop == STOP_NONE)
        ctx->stop = reason;
    XML_StopParser(ctx->parser, XML_FALSE);
}

/* A handler ran out of memory. */
static void stop_on_memory(part_ctx *ctx)
{
    keep_fatal(ctx->reader, AO_ERROR_MEMORY_MALLOC_FAILED);
    stop_parser(ctx, STOP_DONE);
}

/*
 * Workbooks never carry a DOCTYPE. One is how entity-expansion attacks ("billion
 * laughs") and external entities get in, so the part is refused before anything
 * in it is declared, let alone expanded.
 */
static void XMLCALL on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    stop_parser(user, STOP_DOCTYPE);
}

static void XMLCALL on_entity_decl(void *user, const XML_Char *name, int is_parameter_entity,
                                   const XML_Char *value, int value_length, const XML_Char *base,
                                   const XML_Char *system_id, const XML_Char *public_id,
                                   const XML_Char *notation_name)
{
    (void)name;
    (void)is_parameter_entity;
    (void)value;
    (void)value_length;
    (void)base;
    (void)system_id;
    (void)public_id;
    (void)notation_name;
    stop_parser(user, STOP_DOCTYPE);
}

/* How messages name a part: "sheet 'Budgets' (xl/worksheets/sheet1.xml)" or the part. */
static char *part_label(const part_ctx *ctx)
{
    if (ctx->sheet != NULL)
        return ao_asprintf("sheet '%s' (part %s of the workbook)", ctx->sheet, ctx->part);
    return ao_asprintf("the workbook part %s", ctx->part);
}

/* Refuse a part, naming it: "<label> <what>". */
static void refuse_part(part_ctx *ctx, const char *what)
{
    xlsx_reader *r = ctx->reader;
    char *label = part_label(ctx);
    if (label == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    ao_loc loc = {.file = r->path, .table = ctx->table};
    refuse(r, &loc, "%s %s", label, what);
    free(label);
}

/* A size for a message: "256 MB", "4 KB". */
static void format_size(unsigned long long bytes, char out[32])
{
    if (bytes >= 1024ull * 1024u)
        snprintf(out, 32, "%.0f MB", (double)bytes / BYTES_PER_MB);
    else
        snprintf(out, 32, "%.0f KB", (double)bytes / 1024.0);
}

/* Refuse a part over a size limit: the one part, or all parts together (total). */
static void refuse_size(part_ctx *ctx, int total)
{
    xlsx_reader *r = ctx->reader;
    char limit[32];
    format_size(total ? r->limits.max_total_bytes : r->limits.max_part_bytes, limit);
    char *what = ao_asprintf("%s more than %s once uncompressed, the most %s may hold; the "
                             "file may be a 'zip bomb', made to exhaust the memory of the "
                             "program that opens it",
                             total ? "takes the workbook to" : "holds", limit,
                             total ? "a workbook" : "one part of a workbook");
    if (what == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    refuse_part(ctx, what);
    free(what);
    if (total)
        r->stop_all = 1;
}

/* A libzip error code as a sentence. */
static char *zip_code_text(int code)
{
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    char *text = ao_strdup(zip_error_strerror(&error));
    zip_error_fini(&error);
    return text;
}

/* Refuse a part that libzip cannot open or inflate. */
static void refuse_unreadable(part_ctx *ctx, int code, const char *detail)
{
    xlsx_reader *r = ctx->reader;
    char *what;
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        what = ao_asprintf("is encrypted; remove the password and save the workbook again");
    else if (code == ZIP_ER_COMPNOTSUPP)
        what = ao_asprintf("is compressed in a way this program cannot read; " RESAVE_HINT);
    else
        what = ao_asprintf("cannot be read (%s): the workbook is damaged; " RESAVE_HINT, detail);
    if (what == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    refuse_part(ctx, what);
    free(what);
}

/* Report why expat stopped. */
static void refuse_xml_error(part_ctx *ctx)
{
    xlsx_reader *r = ctx->reader;
    if (ctx->stop == STOP_DONE)
        return;
    unsigned long line = (unsigned long)XML_GetCurrentLineNumber(ctx->parser);
    unsigned long column = (unsigned long)XML_GetCurrentColumnNumber(ctx->parser) + 1;
    char *what;
    if (ctx->stop == STOP_DOCTYPE)
        what = ao_asprintf("holds a DOCTYPE or entity declaration (line %lu), which no workbook "
                           "written by a spreadsheet program has; it is refused, as such "
                           "declarations can be used to attack the program reading them",
                           line);
    else
        what = ao_asprintf("is not valid XML: %s at line %lu, column %lu; the workbook is "
                           "damaged; " RESAVE_HINT,
                           XML_ErrorString(XML_GetErrorCode(ctx->parser)), line, column);
    if (what == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    refuse_part(ctx, what);
    free(what);
}

/*
 * Stream one zip entry through expat with the given handlers; ctx->part must be
 * set. Returns 1 when the whole part was read, 0 when it was refused (recorded) or
 * memory ran out (r->fatal).
 */
static int parse_part(part_ctx *ctx, zip_int64_t index, XML_StartElementHandler on_start,
                      XML_EndElementHandler on_end, XML_CharacterDataHandler on_text)
{
    xlsx_reader *r = ctx->reader;
    int ok = 0;
    zip_file_t *file = NULL;
    XML_Parser parser = NULL;
    unsigned long long part_bytes = 0;

    /* The sizes in the zip directory can lie; they are checked here and counted below. */
    zip_stat_t info;
    zip_stat_init(&info);
    if (zip_stat_index(r->archive, (zip_uint64_t)index, 0, &info) == 0 &&
        (info.valid & ZIP_STAT_SIZE)) {
        if (info.size > r->limits.max_part_bytes) {
            refuse_size(ctx, 0);
            goto cleanup;
        }
        if (info.size > r->limits.max_total_bytes - r->total_bytes) {
            refuse_size(ctx, 1);
            goto cleanup;
        }
    }
    file = zip_fopen_index(r->archive, (zip_uint64_t)index, 0);
    if (file == NULL) {
        zip_error_t *error = zip_get_error(r->archive);
        refuse_unreadable(ctx, zip_error_code_zip(error), zip_error_strerror(error));
        goto cleanup;
    }
    parser = XML_ParserCreateNS(NULL, NS_SEPARATOR);
    if (parser == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        goto cleanup;
    }
    ctx->parser = parser;
    ctx->stop = STOP_NONE;
    XML_SetUserData(parser, ctx);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    XML_SetStartDoctypeDeclHandler(parser, on_doctype);
    XML_SetEntityDeclHandler(parser, on_entity_decl);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);

    for (;;) {
        void *buffer = XML_GetBuffer(parser, CHUNK_BYTES);
        if (buffer == NULL) {
            keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
            goto cleanup;
        }
        zip_int64_t got = zip_fread(file, buffer, CHUNK_BYTES);
        if (got < 0) {
            zip_error_t *error = zip_file_get_error(file);
            refuse_unreadable(ctx, zip_error_code_zip(error), zip_error_strerror(error));
            goto cleanup;
        }
        part_bytes += (unsigned long long)got;
        r->total_bytes += (unsigned long long)got;
        if (part_bytes > r->limits.max_part_bytes) {
            refuse_size(ctx, 0);
            goto cleanup;
        }
        if (r->total_bytes > r->limits.max_total_bytes) {
            refuse_size(ctx, 1);
            goto cleanup;
        }
        if (XML_ParseBuffer(parser, (int)got, got == 0) != XML_STATUS_OK) {
            if (r->fatal == AO_NO_ERROR)
                refuse_xml_error(ctx);
            goto cleanup;
        }
        if (got == 0)
            break;
    }
    ok = r->fatal == AO_NO_ERROR;

cleanup:
    if (parser != NULL)
        XML_ParserFree(parser);
    ctx->parser = NULL;
    if (file != NULL)
        zip_fclose(file);
    return ok;
}

/* The zip index of a part (names matched ignoring case, as the package format says),
 * or -1 when the archive has none. */
static zip_int64_t find_part(const xlsx_reader *r, const char *name)
{
    return zip_name_locate(r->archive, name, ZIP_FL_NOCASE);
}

/* ---- xl/workbook.xml: the sheets ---- */

typedef struct workbook_ctx {
    part_ctx part;
    int sheets_depth; ///< Depth of <sheets>, 0 outside it.
    int depth;
} workbook_ctx;

static void XMLCALL workbook_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    workbook_ctx *ctx = user;
    xlsx_reader *r = ctx->part.reader;
    ctx->depth++;
    const char *local = local_name(name);
    if (strcmp(local, "sheets") == 0 && ctx->sheets_depth == 0) {
        ctx->sheets_depth = ctx->depth;
        return;
    }
    if (ctx->sheets_depth == 0 || ctx->depth != ctx->sheets_depth + 1 ||
        strcmp(local, "sheet") != 0)
        return;
    const char *sheet_name = attribute(atts, "name");
    const char *rel_id = attribute(atts, "id"); /* r:id */
    if (sheet_name == NULL || rel_id == NULL) {
        refuse_part(&ctx->part, "lists a sheet without a name or without the part that holds "
                                "it; the workbook is damaged; " RESAVE_HINT);
        stop_parser(&ctx->part, STOP_DONE);
        return;
    }
    if (r->n_sheets == r->cap_sheets) {
        size_t capacity = r->cap_sheets ? 2 * r->cap_sheets : 16;
        sheet_entry *sheets = realloc(r->sheets, capacity * sizeof *sheets);
        if (sheets == NULL) {
            stop_on_memory(&ctx->part);
            return;
        }
        r->sheets = sheets;
        r->cap_sheets = capacity;
    }
    sheet_entry *entry = &r->sheets[r->n_sheets];
    entry->name = ao_strdup(sheet_name);
    entry->rel_id = ao_strdup(rel_id);
    r->n_sheets++;
    if (entry->name == NULL || entry->rel_id == NULL)
        stop_on_memory(&ctx->part);
}

static void XMLCALL workbook_end(void *user, const XML_Char *name)
{
    (void)name;
    workbook_ctx *ctx = user;
    if (ctx->depth == ctx->sheets_depth)
        ctx->sheets_depth = 0;
    ctx->depth--;
}

static void XMLCALL ignore_text(void *user, const XML_Char *text, int length)
{
    (void)user;
    (void)text;
    (void)length;
}

/* ---- xl/_rels/workbook.xml.rels: which part holds what ---- */

/*
 * The zip entry name of a relationship target. A target is a URI: relative to the
 * folder of the source part ("worksheets/sheet1.xml" from xl/workbook.xml), or
 * absolute from the package root ("/xl/worksheets/sheet1.xml"). "." and ".."
 * segments and %-escapes are resolved. Returns "" (allocated) for a target that
 * climbs above the root, NULL when out of memory.
 */
static char *resolve_target(const char *base_dir, const char *target)
{
    size_t capacity = strlen(base_dir) + strlen(target) + 2;
    char *joined = malloc(capacity);
    char *path = malloc(capacity);
    if (joined == NULL || path == NULL) {
        free(joined);
        free(path);
        return NULL;
    }
    if (target[0] == '/')
        snprintf(joined, capacity, "%s", target + 1);
    else
        snprintf(joined, capacity, "%s%s", base_dir, target);

    size_t length = 0;
    const char *segment = joined;
    int climbed_out = 0;
    while (*segment != '\0' && !climbed_out) {
        const char *slash = strchr(segment, '/');
        size_t n = slash ? (size_t)(slash - segment) : strlen(segment);
        if ((n == 1 && segment[0] == '.') || n == 0) {
            /* "./" and "//" name the same folder. */
        } else if (n == 2 && segment[0] == '.' && segment[1] == '.') {
            if (length == 0) {
                climbed_out = 1;
            } else {
                while (length > 0 && path[length - 1] != '/')
                    length--;
                if (length > 0)
                    length--; /* the slash before the segment removed */
            }
        } else {
            if (length > 0)
                path[length++] = '/';
            for (size_t k = 0; k < n; k++) {
                int high, low;
                if (segment[k] == '%' && k + 2 < n && (high = hex_value(segment[k + 1])) >= 0 &&
                    (low = hex_value(segment[k + 2])) >= 0 && (high || low)) {
                    path[length++] = (char)(high << 4 | low);
                    k += 2;
                } else {
                    path[length++] = segment[k];
                }
            }
        }
        segment += n;
        if (*segment == '/')
            segment++;
    }
    path[climbed_out ? 0 : length] = '\0';
    free(joined);
    return path;
}

static void XMLCALL rels_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    part_ctx *ctx = user;
    xlsx_reader *r = ctx->reader;
    if (strcmp(local_name(name), "Relationship") != 0)
        return;
    const char *id = attribute(atts, "Id");
    const char *type = attribute(atts, "Type");
    const char *target = attribute(atts, "Target");
    const char *mode = attribute(atts, "TargetMode");
    /* External targets (links to other files) hold nothing of this workbook. */
    if (id == NULL || type == NULL || target == NULL || (mode && strcmp(mode, "External") == 0))
        return;
    if (r->n_rels == r->cap_rels) {
        size_t capacity = r->cap_rels ? 2 * r->cap_rels : 16;
        rel_entry *rels = realloc(r->rels, capacity * sizeof *rels);
        if (rels == NULL) {
            stop_on_memory(ctx);
            return;
        }
        r->rels = rels;
        r->cap_rels = capacity;
    }
    rel_entry *entry = &r->rels[r->n_rels++];
    entry->id = ao_strdup(id);
    entry->type = ao_strdup(type);
    entry->target = resolve_target("xl/", target);
    if (entry->id == NULL || entry->type == NULL || entry->target == NULL)
        stop_on_memory(ctx);
}

static void XMLCALL rels_end(void *user, const XML_Char *name)
{
    (void)user;
    (void)name;
}

static const rel_entry *find_rel(const xlsx_reader *r, const char *id)
{
    for (size_t k = 0; k < r->n_rels; k++)
        if (strcmp(r->rels[k].id, id) == 0)
            return &r->rels[k];
    return NULL;
}

/* ---- xl/sharedStrings.xml ---- */

typedef struct strings_ctx {
    part_ctx part;
    int depth;
    int si_depth;  ///< Depth of <si>, 0 outside.
    int t_depth;   ///< Depth of a <t> whose text counts, 0 outside.
    int rph_depth; ///< Depth of <rPh> (phonetic run, left out), 0 outside.
    text_buf text;
} strings_ctx;

static void XMLCALL strings_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    strings_ctx *ctx = user;
    ctx->depth++;
    const char *local = local_name(name);
    if (strcmp(local, "si") == 0 && ctx->si_depth == 0) {
        ctx->si_depth = ctx->depth;
        text_reset(&ctx->text);
    } else if (ctx->si_depth != 0 && strcmp(local, "rPh") == 0 && ctx->rph_depth == 0) {
        ctx->rph_depth = ctx->depth;
    } else if (ctx->si_depth != 0 && ctx->rph_depth == 0 && strcmp(local, "t") == 0) {
        ctx->t_depth = ctx->depth;
    }
}

static void XMLCALL strings_end(void *user, const XML_Char *name)
{
    (void)name;
    strings_ctx *ctx = user;
    xlsx_reader *r = ctx->part.reader;
    if (ctx->depth == ctx->t_depth) {
        ctx->t_depth = 0;
    } else if (ctx->depth == ctx->rph_depth) {
        ctx->rph_depth = 0;
    } else if (ctx->depth == ctx->si_depth) {
        ctx->si_depth = 0;
        if (r->n_strings == r->cap_strings) {
            size_t capacity = r->cap_strings ? 2 * r->cap_strings : 256;
            char **strings = realloc(r->strings, capacity * sizeof *strings);
            if (strings != NULL)
                r->strings = strings;
            unsigned char *flags = realloc(r->string_too_long, capacity);
            if (flags != NULL)
                r->string_too_long = flags;
            if (strings == NULL || flags == NULL) {
                stop_on_memory(&ctx->part);
                ctx->depth--;
                return;
            }
            r->cap_strings = capacity;
        }
        char *copy = NULL;
        if (!ctx->text.too_long && ctx->text.length > 0) {
            decode_escapes(ctx->text.data);
            copy = ao_strdup(ctx->text.data);
            if (copy == NULL) {
                stop_on_memory(&ctx->part);
                ctx->depth--;
                return;
            }
        }
        r->strings[r->n_strings] = copy;
        r->string_too_long[r->n_strings] = (unsigned char)ctx->text.too_long;
        r->n_strings++;
    }
    ctx->depth--;
}

static void XMLCALL strings_text(void *user, const XML_Char *text, int length)
{
    strings_ctx *ctx = user;
    if (ctx->t_depth == 0 || ctx->depth != ctx->t_depth)
        return;
    if (!text_append(&ctx->text, text, (size_t)length, ctx->part.reader->limits.max_cell_chars))
        stop_on_memory(&ctx->part);
}

/* ---- a worksheet ---- */

/* What a cell's t attribute says its value is. */
enum cell_type {
    CELL_NUMBER = 0,  ///< "n" or no t: a number in <v>.
    CELL_SHARED,      ///< "s": <v> is an index into the shared strings.
    CELL_FORMULA_STR, ///< "str": the text result of a formula, in <v>.
    CELL_INLINE,      ///< "inlineStr": text in <is>.
    CELL_BOOL,        ///< "b": 1 or 0.
    CELL_ERROR,       ///< "e": an error value such as "#DIV/0!".
    CELL_OTHER        ///< "d" (an ISO 8601 date) or anything else: <v> as written.
};

/** A non-empty cell of the row being read. */
typedef struct row_cell {
    size_t col;       ///< 0-based sheet column.
    size_t seq;       ///< Order in the file, so that sorting is stable.
    const char *text; ///< The value.
    char *owned;      ///< text when allocated for this cell (shared strings are not).
} row_cell;

typedef struct sheet_ctx {
    part_ctx part;
    ao_table *table;
    int depth;
    int sheet_data_depth, row_depth, cell_depth, v_depth, f_depth, is_depth, t_depth, rph_depth;

    long row;          ///< Number of the row being read.
    int row_numbered;  ///< The row's number is known (from its r or from a cell reference).
    long last_row;     ///< Number of the previous row, 0 before the first.
    int have_col;      ///< A cell of this row has been placed.
    size_t col;        ///< Column of the cell being read, or of the last one placed.
    int cell_ok;       ///< The cell being read has a valid place.
    char cell_ref[24]; ///< "AB12" of the cell being read.
    enum cell_type cell_type;
    int has_formula, has_value;
    text_buf text;

    row_cell *cells; ///< Non-empty cells of the row being read.
    size_t n_cells, cap_cells;

    int have_header;
    long header_row;
    const char **row_cells; ///< Scratch row of table->n_cols cells for ao_table_add_row.
    /* Columns already reported as holding values without a heading, or whose heading
     * repeats another (reported once, at the header). */
    unsigned char col_reported[AO_XLSX_MAX_COLS / 8];
    size_t damage_reports;
} sheet_ctx;

static ao_loc sheet_loc(const sheet_ctx *s, long row, const char *column, const char *cell)
{
    ao_loc loc = {.file = s->part.reader->path,
                  .table = s->table->name,
                  .row = row,
                  .column = column,
                  .cell = cell};
    return loc;
}

/* Table column of a sheet column, or -1. The headings are in sheet column order. */
static long table_col_of(const sheet_ctx *s, size_t col)
{
    const ao_table *t = s->table;
    size_t low = 0, high = t->n_cols;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (t->sheet_cols[mid] < col)
            low = mid + 1;
        else
            high = mid;
    }
    return low < t->n_cols && t->sheet_cols[low] == col ? (long)low : -1;
}

/* The heading over a sheet column, or NULL when there is none (yet). */
static const char *heading_of(const sheet_ctx *s, size_t col)
{
    long table_col = table_col_of(s, col);
    return table_col >= 0 ? s->table->header_text[table_col] : NULL;
}

/* A damaged cell or row: refused, and reading of the sheet stops after a few. */
static void refuse_cell(sheet_ctx *s, long row, const char *cell, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void refuse_cell(sheet_ctx *s, long row, const char *cell, const char *fmt, ...)
{
    xlsx_reader *r = s->part.reader;
    ao_loc loc = sheet_loc(s, row, NULL, cell);
    va_list args;
    va_start(args, fmt);
    add_diag_v(r, AO_DIAG_ERROR, &loc, fmt, args);
    va_end(args);
    r->refused = 1;
    if (++s->damage_reports >= MAX_DAMAGE_REPORTS) {
        ao_loc sheet_only = sheet_loc(s, 0, NULL, NULL);
        report(r, AO_DIAG_ERROR, &sheet_only,
               "reading of sheet '%s' stopped after %d problems: the workbook is "
               "damaged; " RESAVE_HINT,
               s->part.sheet, MAX_DAMAGE_REPORTS);
        stop_parser(&s->part, STOP_DONE);
    }
}

static void clear_row(sheet_ctx *s)
{
    for (size_t k = 0; k < s->n_cells; k++)
        free(s->cells[k].owned);
    s->n_cells = 0;
}

static int compare_cells(const void *a, const void *b)
{
    const row_cell *x = a, *y = b;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Put the row's cells in column order (they may come in any order); a column given
 * twice is a damaged file: the first is kept. */
static void sort_row(sheet_ctx *s)
{
    int sorted = 1;
    for (size_t k = 1; k < s->n_cells && sorted; k++)
        sorted = s->cells[k - 1].col < s->cells[k].col;
    if (sorted)
        return;
    qsort(s->cells, s->n_cells, sizeof *s->cells, compare_cells);
    size_t kept = 0;
    for (size_t k = 0; k < s->n_cells; k++) {
        if (kept > 0 && s->cells[kept - 1].col == s->cells[k].col) {
            char letters[8], cell[24];
            ao_column_letters(s->cells[k].col, letters);
            snprintf(cell, sizeof cell, "%s%ld", letters, s->row);
            refuse_cell(
                s, s->row, cell,
                "cell %s is given twice in the sheet's XML; the workbook is damaged; " RESAVE_HINT,
                cell);
            free(s->cells[k].owned);
            continue;
        }
        s->cells[kept++] = s->cells[k];
    }
    s->n_cells = kept;
}

static void mark_col(sheet_ctx *s, size_t col)
{
    s->col_reported[col / 8] |= (unsigned char)(1u << (col % 8));
}

static int col_marked(const sheet_ctx *s, size_t col)
{
    return (s->col_reported[col / 8] >> (col % 8)) & 1u;
}

/* The first row with values: its cells are the headings. */
static ao_error take_header(sheet_ctx *s)
{
    xlsx_reader *r = s->part.reader;
    ao_error err = AO_NO_ERROR;
    const char **names = calloc(s->n_cells, sizeof *names);
    size_t *cols = calloc(s->n_cells, sizeof *cols);
    AO_GOTO_ON_MEM_ERROR(names, err, cleanup);
    AO_GOTO_ON_MEM_ERROR(cols, err, cleanup);
    size_t n_cols = 0;
    for (size_t k = 0; k < s->n_cells; k++) {
        const row_cell *cell = &s->cells[k];
        size_t earlier = 0;
        while (earlier < n_cols && !ao_name_equal(names[earlier], cell->text))
            earlier++;
        if (earlier < n_cols) {
            char letters[8], first[8], ref[24];
            ao_column_letters(cell->col, letters);
            ao_column_letters(cols[earlier], first);
            snprintf(ref, sizeof ref, "%s%ld", letters, s->row);
            ao_loc loc = sheet_loc(s, s->row, cell->text, ref);
            report(r, AO_DIAG_ERROR, &loc,
                   "column %s has the heading '%s', which repeats the heading of column %s "
                   "(headings are matched ignoring case and surrounding spaces); rename or "
                   "remove one",
                   letters, cell->text, first);
            mark_col(s, cell->col);
            continue;
        }
        names[n_cols] = cell->text;
        cols[n_cols] = cell->col;
        n_cols++;
    }
    AO_GOTO_ON_ERROR(ao_table_set_headers(s->table, n_cols, names, cols), err, cleanup);
    s->row_cells = calloc(n_cols, sizeof *s->row_cells);
    AO_GOTO_ON_MEM_ERROR(s->row_cells, err, cleanup);
    s->have_header = 1;
    s->header_row = s->row;

cleanup:
    free(names);
    free(cols);
    return err;
}

/* A row after the header: into the table. */
static ao_error take_row(sheet_ctx *s)
{
    xlsx_reader *r = s->part.reader;
    ao_table *t = s->table;
    for (size_t c = 0; c < t->n_cols; c++)
        s->row_cells[c] = NULL;
    for (size_t k = 0; k < s->n_cells; k++) {
        const row_cell *cell = &s->cells[k];
        long col = table_col_of(s, cell->col);
        if (col >= 0) {
            s->row_cells[col] = cell->text;
            continue;
        }
        if (col_marked(s, cell->col))
            continue;
        mark_col(s, cell->col);
        char letters[8], ref[24];
        ao_column_letters(cell->col, letters);
        snprintf(ref, sizeof ref, "%s%ld", letters, s->row);
        ao_loc loc = sheet_loc(s, s->row, NULL, ref);
        report(r, AO_DIAG_ERROR, &loc,
               "column %s has no heading in the header row (row %ld) but cell %s holds a "
               "value; add a heading or remove the values",
               letters, s->header_row, ref);
    }
    return ao_table_add_row(t, s->row_cells, s->row);
}

/* Set the number of the row being read, checking that rows come in order. */
static void set_row_number(sheet_ctx *s, long row)
{
    s->row = row;
    s->row_numbered = 1;
    if (row < 1) {
        refuse_cell(s, 0, NULL,
                    "the sheet has a row numbered 0, and rows are numbered from 1; the "
                    "workbook is damaged; " RESAVE_HINT);
        s->row = 0;
    } else if (row > AO_XLSX_MAX_ROWS) {
        refuse_cell(s, 0, NULL,
                    "the sheet has a row past Excel's last row (%ld); the workbook is "
                    "damaged; " RESAVE_HINT,
                    AO_XLSX_MAX_ROWS);
        s->row = 0;
    } else if (row <= s->last_row) {
        refuse_cell(s, row, NULL,
                    "row %ld comes after row %ld in the sheet's XML; rows must be in order; "
                    "the workbook is damaged; " RESAVE_HINT,
                    row, s->last_row);
        s->row = 0;
    }
}

static void row_start(sheet_ctx *s, const XML_Char **atts)
{
    s->row_depth = s->depth;
    s->have_col = 0;
    s->row_numbered = 0;
    s->row = s->last_row + 1;
    const char *number = attribute(atts, "r");
    if (number != NULL) {
        long row;
        if (!parse_row_number(number, &row)) {
            char quoted[EXCERPT_BYTES + 4];
            excerpt(number, quoted);
            refuse_cell(s, 0, NULL,
                        "the sheet has a row numbered '%s', which is not a row number; the "
                        "workbook is damaged; " RESAVE_HINT,
                        quoted);
            s->row = 0;
            s->row_numbered = 1;
            return;
        }
        set_row_number(s, row);
    } else if (s->row > AO_XLSX_MAX_ROWS) {
        set_row_number(s, s->row);
    }
}

static void row_end(sheet_ctx *s)
{
    s->row_depth = 0;
    if (s->row > 0) {
        sort_row(s);
        ao_error err = AO_NO_ERROR;
        if (s->n_cells > 0 && s->part.stop == STOP_NONE)
            err = s->have_header ? take_row(s) : take_header(s);
        if (err != AO_NO_ERROR) {
            keep_fatal(s->part.reader, err);
            stop_parser(&s->part, STOP_DONE);
        }
        s->last_row = s->row;
    }
    clear_row(s);
}

/* Where the cell starting now is: from its r, or just right of the previous cell. */
static void cell_start(sheet_ctx *s, const XML_Char **atts)
{
    s->cell_depth = s->depth;
    s->cell_ok = 0;
    s->has_formula = 0;
    s->has_value = 0;
    text_reset(&s->text);
    s->cell_ref[0] = '\0';

    const char *type = attribute(atts, "t");
    if (type == NULL || strcmp(type, "n") == 0)
        s->cell_type = CELL_NUMBER;
    else if (strcmp(type, "s") == 0)
        s->cell_type = CELL_SHARED;
    else if (strcmp(type, "str") == 0)
        s->cell_type = CELL_FORMULA_STR;
    else if (strcmp(type, "inlineStr") == 0)
        s->cell_type = CELL_INLINE;
    else if (strcmp(type, "b") == 0)
        s->cell_type = CELL_BOOL;
    else if (strcmp(type, "e") == 0)
        s->cell_type = CELL_ERROR;
    else
        s->cell_type = CELL_OTHER;

    if (s->row == 0)
        return; /* The row itself is broken and already reported. */
    const char *ref = attribute(atts, "r");
    size_t col;
    if (ref != NULL) {
        long row;
        char quoted[EXCERPT_BYTES + 4];
        excerpt(ref, quoted);
        if (!parse_ref(ref, &col, &row)) {
            refuse_cell(s, s->row, NULL,
                        "row %ld has a cell with the reference '%s', which is not a cell "
                        "reference such as C14; the workbook is damaged; " RESAVE_HINT,
                        s->row, quoted);
            return;
        }
        if (col >= AO_XLSX_MAX_COLS || row < 1 || row > AO_XLSX_MAX_ROWS) {
            refuse_cell(s, s->row, NULL,
                        "the sheet has a cell %s, %s; the workbook is damaged; " RESAVE_HINT,
                        quoted,
                        col >= AO_XLSX_MAX_COLS ? "past Excel's last column (XFD)"
                        : row < 1               ? "in row 0 (rows are numbered from 1)"
                                                : "past Excel's last row (1048576)");
            return;
        }
        if (row != s->row) {
            if (!s->row_numbered && !s->have_col) {
                /* A row without r takes its number from its first cell. */
                set_row_number(s, row);
                if (s->row == 0)
                    return;
            } else {
                refuse_cell(s, s->row, ref,
                            "cell %s is listed in row %ld of the sheet's XML; the workbook is "
                            "damaged; " RESAVE_HINT,
                            ref, s->row);
                return;
            }
        }
    } else {
        col = s->have_col ? s->col + 1 : 0;
        if (col >= AO_XLSX_MAX_COLS) {
            refuse_cell(s, s->row, NULL,
                        "row %ld has more cells than Excel's last column (XFD); the workbook "
                        "is damaged; " RESAVE_HINT,
                        s->row);
            return;
        }
    }
    s->row_numbered = 1;
    s->col = col;
    s->have_col = 1;
    s->cell_ok = 1;
    char letters[8];
    ao_column_letters(col, letters);
    snprintf(s->cell_ref, sizeof s->cell_ref, "%s%ld", letters, s->row);
}

/* Keep a cell's value for the row. Takes ownership of owned (may be NULL). */
static void push_cell(sheet_ctx *s, const char *text, char *owned)
{
    if (ao_is_blank(text)) {
        free(owned);
        return;
    }
    if (s->n_cells == s->cap_cells) {
        size_t capacity = s->cap_cells ? 2 * s->cap_cells : 32;
        row_cell *cells = realloc(s->cells, capacity * sizeof *cells);
        if (cells == NULL) {
            free(owned);
            stop_on_memory(&s->part);
            return;
        }
        s->cells = cells;
        s->cap_cells = capacity;
    }
    row_cell *cell = &s->cells[s->n_cells];
    cell->col = s->col;
    cell->seq = s->n_cells;
    cell->text = text;
    cell->owned = owned;
    s->n_cells++;
}

/* Copy of the gathered text, or NULL when out of memory (reported). */
static char *text_copy(sheet_ctx *s)
{
    char *copy = ao_strdup(s->text.data ? s->text.data : "");
    if (copy == NULL)
        stop_on_memory(&s->part);
    return copy;
}

/* The cell has ended: turn what was gathered into its text. */
static void cell_end(sheet_ctx *s)
{
    xlsx_reader *r = s->part.reader;
    s->cell_depth = 0;
    if (!s->cell_ok)
        return;
    const char *ref = s->cell_ref;
    const char *heading = s->have_header ? heading_of(s, s->col) : NULL;
    ao_loc loc = sheet_loc(s, s->row, heading, ref);
    if (s->text.too_long) {
        refuse_cell(s, s->row, ref,
                    "cell %s holds more than %zu characters, more than a cell of a workbook "
                    "may hold; the workbook is damaged; " RESAVE_HINT,
                    ref, r->limits.max_cell_chars);
        return;
    }
    /* A formula's text result may be empty; any other empty result was never worked out. */
    int string_result = s->cell_type == CELL_FORMULA_STR || s->cell_type == CELL_INLINE;
    if (s->has_formula && (!s->has_value || (s->text.length == 0 && !string_result))) {
        report(r, AO_DIAG_WARNING, &loc,
               "cell %s holds a formula without a saved result, so it is read as empty; the "
               "program that wrote the workbook did not calculate it: open the workbook in "
               "Excel and save it again",
               ref);
        return;
    }
    if (s->text.length == 0)
        return;

    char *copy;
    switch (s->cell_type) {
    case CELL_SHARED: {
        const char *p = s->text.data;
        size_t index = 0;
        int valid = is_digit(*p);
        for (; is_digit(*p) && valid; p++) {
            if (index > (SIZE_MAX - 9) / 10)
                valid = 0;
            else
                index = index * 10 + (size_t)(*p - '0');
        }
        if (!r->has_strings) {
            /* Said once: every text cell of the workbook would repeat it. */
            if (!r->no_strings_reported)
                refuse_cell(
                    s, s->row, ref,
                    "cell %s refers to the workbook's shared texts, but the file has "
                    "none (xl/sharedStrings.xml is missing); the workbook is damaged; " RESAVE_HINT,
                    ref);
            r->no_strings_reported = 1;
            r->refused = 1;
            return;
        }
        if (!valid || *p != '\0' || index >= r->n_strings) {
            char quoted[EXCERPT_BYTES + 4];
            excerpt(s->text.data, quoted);
            refuse_cell(s, s->row, ref,
                        "cell %s refers to shared text '%s', but the workbook holds %zu shared "
                        "texts, numbered from 0; the workbook is damaged; " RESAVE_HINT,
                        ref, quoted, r->n_strings);
            return;
        }
        if (r->string_too_long[index]) {
            refuse_cell(s, s->row, ref,
                        "cell %s holds more than %zu characters, more than a cell of a "
                        "workbook may hold; the workbook is damaged; " RESAVE_HINT,
                        ref, r->limits.max_cell_chars);
            return;
        }
        push_cell(s, r->strings[index], NULL);
        return;
    }
    case CELL_BOOL:
        if (strcmp(s->text.data, "1") == 0)
            push_cell(s, "TRUE", NULL);
        else if (strcmp(s->text.data, "0") == 0)
            push_cell(s, "FALSE", NULL);
        else if ((copy = text_copy(s)) != NULL)
            push_cell(s, copy, copy);
        return;
    case CELL_ERROR: {
        char quoted[EXCERPT_BYTES + 4];
        excerpt(s->text.data, quoted);
        report(r, AO_DIAG_WARNING, &loc,
               "cell %s holds the error value %s (a formula that Excel could not work out); "
               "it is read as that text",
               ref, quoted);
        if ((copy = text_copy(s)) != NULL)
            push_cell(s, copy, copy);
        return;
    }
    case CELL_NUMBER:
        if ((copy = text_copy(s)) != NULL) {
            trim_fraction_zeros(copy);
            push_cell(s, copy, copy);
        }
        return;
    case CELL_FORMULA_STR:
    case CELL_INLINE:
        if ((copy = text_copy(s)) != NULL) {
            decode_escapes(copy);
            push_cell(s, copy, copy);
        }
        return;
    case CELL_OTHER:
        if ((copy = text_copy(s)) != NULL)
            push_cell(s, copy, copy);
        return;
    }
}

static void XMLCALL sheet_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sheet_ctx *s = user;
    s->depth++;
    const char *local = local_name(name);
    if (s->sheet_data_depth == 0) {
        if (strcmp(local, "sheetData") == 0)
            s->sheet_data_depth = s->depth;
    } else if (s->row_depth == 0) {
        if (s->depth == s->sheet_data_depth + 1 && strcmp(local, "row") == 0)
            row_start(s, atts);
    } else if (s->cell_depth == 0) {
        if (s->depth == s->row_depth + 1 && strcmp(local, "c") == 0)
            cell_start(s, atts);
    } else if (s->depth == s->cell_depth + 1) {
        if (strcmp(local, "v") == 0) {
            s->v_depth = s->depth;
            s->has_value = 1;
        } else if (strcmp(local, "f") == 0) {
            s->f_depth = s->depth;
            s->has_formula = 1;
        } else if (strcmp(local, "is") == 0) {
            s->is_depth = s->depth;
            s->has_value = 1;
        }
    } else if (s->is_depth != 0) {
        if (strcmp(local, "rPh") == 0 && s->rph_depth == 0)
            s->rph_depth = s->depth;
        else if (strcmp(local, "t") == 0 && s->rph_depth == 0)
            s->t_depth = s->depth;
    }
}

static void XMLCALL sheet_end(void *user, const XML_Char *name)
{
    (void)name;
    sheet_ctx *s = user;
    if (s->depth == s->t_depth)
        s->t_depth = 0;
    else if (s->depth == s->rph_depth)
        s->rph_depth = 0;
    else if (s->depth == s->is_depth)
        s->is_depth = 0;
    else if (s->depth == s->v_depth)
        s->v_depth = 0;
    else if (s->depth == s->f_depth)
        s->f_depth = 0;
    else if (s->depth == s->cell_depth)
        cell_end(s);
    else if (s->depth == s->row_depth)
        row_end(s);
    else if (s->depth == s->sheet_data_depth)
        s->sheet_data_depth = 0;
    s->depth--;
}

static void XMLCALL sheet_text(void *user, const XML_Char *text, int length)
{
    sheet_ctx *s = user;
    int wanted =
        (s->v_depth != 0 && s->depth == s->v_depth) || (s->t_depth != 0 && s->depth == s->t_depth);
    if (!wanted || !s->cell_ok)
        return;
    if (!text_append(&s->text, text, (size_t)length, s->part.reader->limits.max_cell_chars))
        stop_on_memory(&s->part);
}

/*
 * Read one worksheet into a table. *out is the table, or NULL when the sheet has
 * no values (a warning) or could not be read (recorded).
 */
static void read_sheet(xlsx_reader *r, const char *sheet_name, zip_int64_t index, const char *part,
                       ao_table **out)
{
    *out = NULL;
    sheet_ctx *s = calloc(1, sizeof *s);
    if (s == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    s->table = ao_table_new(sheet_name, r->path);
    if (s->table == NULL) {
        keep_fatal(r, AO_ERROR_MEMORY_MALLOC_FAILED);
        goto cleanup;
    }
    s->table->from_workbook = 1;
    s->part.reader = r;
    s->part.part = part;
    s->part.sheet = sheet_name;
    s->part.table = s->table->name;
    if (!parse_part(&s->part, index, sheet_start, sheet_end, sheet_text))
        goto cleanup;
    if (!s->have_header) {
        ao_loc loc = sheet_loc(s, 0, NULL, NULL);
        report(r, AO_DIAG_WARNING, &loc, "sheet '%s' holds no values; it is not read", sheet_name);
        goto cleanup;
    }
    *out = s->table;
    s->table = NULL;

cleanup:
    clear_row(s);
    free(s->cells);
    free(s->row_cells);
    free(s->text.data);
    ao_table_free(s->table);
    free(s);
}

/* ---- the workbook ---- */

/* Sheets left out on purpose: notes for the reader, and helper sheets. */
static int skipped_sheet(const char *name)
{
    while (*name == ' ')
        name++;
    return name[0] == '_' || ao_name_equal(name, "read me") || ao_name_equal(name, "readme");
}

/* Read one part that is not a sheet with the given handlers; 0 when refused or out of
 * memory. */
static int read_part(xlsx_reader *r, const char *part, zip_int64_t index, part_ctx *ctx,
                     XML_StartElementHandler on_start, XML_EndElementHandler on_end,
                     XML_CharacterDataHandler on_text)
{
    ctx->reader = r;
    ctx->part = part;
    return parse_part(ctx, index, on_start, on_end, on_text);
}

/* Say why the file could not be opened as a zip archive. */
static ao_error refuse_not_zip(xlsx_reader *r, int zip_code, const unsigned char *magic,
                               size_t n_magic)
{
    ao_loc loc = {.file = r->path};
    if (zip_code == ZIP_ER_MEMORY)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    if (n_magic == sizeof OLE_SIGNATURE && memcmp(magic, OLE_SIGNATURE, n_magic) == 0) {
        refuse(r, &loc,
               "this file is not an Excel workbook (.xlsx): it is either an older Excel 97-2003 "
               "workbook (.xls) or a workbook protected by a password to open; remove any "
               "password and save it as an Excel Workbook (.xlsx)");
    } else if (zip_code == ZIP_ER_NOZIP) {
        refuse(r, &loc,
               "this file is not an Excel workbook (.xlsx): it is not a zip archive, as every "
               ".xlsx file is; save it from Excel as an Excel Workbook (.xlsx)");
    } else {
        char *text = zip_code_text(zip_code);
        if (text == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        refuse(r, &loc,
               "this file cannot be read as an Excel workbook (.xlsx): its zip archive is "
               "damaged (%s); " RESAVE_HINT,
               text);
        free(text);
    }
    return r->fatal != AO_NO_ERROR ? r->fatal : AO_ERROR_INPUT;
}

/*
 * Open the file read-only, with messages for a file that cannot be opened and for
 * one that is not a zip archive.
 */
static ao_error open_archive(xlsx_reader *r)
{
    ao_loc loc = {.file = r->path};
    int fd = open(r->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int cause = errno;
        AO_RETURN_ON_ERROR(ao_diags_add(r->diags, AO_DIAG_ERROR, &loc, "cannot open the file: %s",
                                        strerror(cause)));
        return AO_ERROR_FILE_OPEN;
    }
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        close(fd);
        AO_RETURN_ON_ERROR(ao_diags_add(r->diags, AO_DIAG_ERROR, &loc,
                                        "this is not a file that can be read as a workbook"));
        return AO_ERROR_FILE_OPEN;
    }
    if (info.st_size == 0) {
        close(fd);
        refuse(r, &loc, "the file is empty, so it is not an Excel workbook (.xlsx)");
        return r->fatal != AO_NO_ERROR ? r->fatal : AO_ERROR_INPUT;
    }
    unsigned char magic[sizeof OLE_SIGNATURE];
    ssize_t n_magic = pread(fd, magic, sizeof magic, 0);
    if (n_magic < 0)
        n_magic = 0;
    int zip_code = ZIP_ER_OK;
    /* zip_fdopen reads only: the input can never be changed through it. */
    r->archive = zip_fdopen(fd, 0, &zip_code);
    if (r->archive == NULL) {
        close(fd);
        return refuse_not_zip(r, zip_code, magic, (size_t)n_magic);
    }
    return AO_NO_ERROR;
}

/* Read every sheet of an open archive into set. */
static void read_sheets(xlsx_reader *r, ao_tableset *set)
{
    ao_loc file_loc = {.file = r->path};
    for (size_t k = 0; k < r->n_sheets && r->fatal == AO_NO_ERROR && !r->stop_all; k++) {
        const sheet_entry *sheet = &r->sheets[k];
        if (skipped_sheet(sheet->name))
            continue;
        ao_loc loc = {.file = r->path, .table = sheet->name};
        const rel_entry *rel = find_rel(r, sheet->rel_id);
        if (rel == NULL || rel->target[0] == '\0') {
            refuse(r, &loc,
                   "the workbook lists sheet '%s' but not the part that holds it; the workbook "
                   "is damaged; " RESAVE_HINT,
                   sheet->name);
            continue;
        }
        if (!ends_with(rel->type, "/worksheet")) {
            report(r, AO_DIAG_WARNING, &loc,
                   "sheet '%s' is %s, not a sheet of cells; it is not read", sheet->name,
                   ends_with(rel->type, "/chartsheet") ? "a chart" : "a special sheet");
            continue;
        }
        zip_int64_t index = find_part(r, rel->target);
        if (index < 0) {
            refuse(r, &loc,
                   "the part %s that holds sheet '%s' is missing from the file; the workbook "
                   "is damaged; " RESAVE_HINT,
                   rel->target, sheet->name);
            continue;
        }
        ao_table *table = NULL;
        read_sheet(r, sheet->name, index, rel->target, &table);
        if (table == NULL)
            continue;
        const ao_table *earlier = ao_tableset_find(set, table->name);
        if (earlier != NULL) {
            ao_loc dup_loc = {.file = r->path, .table = table->name};
            report(r, AO_DIAG_ERROR, &dup_loc,
                   "the workbook has two sheets named '%s' (sheet names are matched ignoring "
                   "case and surrounding spaces); only the first is read: keep only one",
                   sheet->name);
            ao_table_free(table);
            continue;
        }
        keep_fatal(r, ao_tableset_add(set, table));
    }
    if (r->fatal == AO_NO_ERROR && !r->refused && set->n_tables == 0)
        report(r, AO_DIAG_ERROR, &file_loc,
               "the workbook holds no sheet with values; each table goes on a sheet named "
               "after it (such as 'budgets'), with its headings in row 1");
}

void ao_xlsx_limits_set_default(ao_xlsx_limits *limits)
{
    if (limits == NULL)
        return;
    limits->max_part_bytes = AO_XLSX_MAX_PART_BYTES;
    limits->max_total_bytes = AO_XLSX_MAX_TOTAL_BYTES;
    limits->max_cell_chars = AO_XLSX_MAX_CELL_CHARS;
}

ao_error ao_xlsx_read(const char *path, ao_tableset **out, ao_diags *diags)
{
    return ao_xlsx_read_with_limits(path, NULL, out, diags);
}

ao_error ao_xlsx_read_with_limits(const char *path, const ao_xlsx_limits *limits, ao_tableset **out,
                                  ao_diags *diags)
{
    if (path == NULL || out == NULL || diags == NULL)
        return AO_ERROR_NULL_PARAMETER;
    *out = NULL;
    ao_error err = AO_NO_ERROR;
    ao_tableset *set = NULL;
    workbook_ctx workbook = {0};
    part_ctx rels = {0};
    strings_ctx strings = {0};
    xlsx_reader r = {0};
    r.path = path;
    r.diags = diags;
    ao_xlsx_limits_set_default(&r.limits);
    if (limits != NULL) {
        if (limits->max_part_bytes > 0)
            r.limits.max_part_bytes = limits->max_part_bytes;
        if (limits->max_total_bytes > 0)
            r.limits.max_total_bytes = limits->max_total_bytes;
        if (limits->max_cell_chars > 0)
            r.limits.max_cell_chars = limits->max_cell_chars;
    }
    ao_loc file_loc = {.file = path};

    AO_GOTO_ON_ERROR(open_archive(&r), err, cleanup);

    zip_int64_t workbook_index = find_part(&r, "xl/workbook.xml");
    if (workbook_index < 0) {
        refuse(&r, &file_loc,
               "this file is not an Excel workbook: it is a zip archive without the part "
               "every .xlsx workbook has (xl/workbook.xml); save it from Excel as an Excel "
               "Workbook (.xlsx)");
        goto cleanup;
    }
    if (!read_part(&r, "xl/workbook.xml", workbook_index, &workbook.part, workbook_start,
                   workbook_end, ignore_text))
        goto cleanup;
    if (r.n_sheets == 0) {
        refuse(&r, &file_loc,
               "the workbook lists no sheets; the workbook is damaged; " RESAVE_HINT);
        goto cleanup;
    }

    const char *rels_name = "xl/_rels/workbook.xml.rels";
    zip_int64_t rels_index = find_part(&r, rels_name);
    if (rels_index < 0) {
        refuse(&r, &file_loc,
               "the workbook has no list of its parts (%s), so its sheets cannot be found; "
               "the workbook is damaged; " RESAVE_HINT,
               rels_name);
        goto cleanup;
    }
    if (!read_part(&r, rels_name, rels_index, &rels, rels_start, rels_end, ignore_text))
        goto cleanup;

    /* Shared strings: where the relationships say, else where Excel puts them. */
    const char *strings_name = "xl/sharedStrings.xml";
    for (size_t k = 0; k < r.n_rels; k++)
        if (ends_with(r.rels[k].type, "/sharedStrings") && r.rels[k].target[0] != '\0')
            strings_name = r.rels[k].target;
    zip_int64_t strings_index = find_part(&r, strings_name);
    if (strings_index >= 0) {
        if (!read_part(&r, strings_name, strings_index, &strings.part, strings_start, strings_end,
                       strings_text))
            goto cleanup;
        r.has_strings = 1;
    }

    set = ao_tableset_new(path);
    AO_GOTO_ON_MEM_ERROR(set, err, cleanup);
    read_sheets(&r, set);

cleanup:
    if (err == AO_NO_ERROR)
        err = r.fatal != AO_NO_ERROR ? r.fatal : r.refused ? AO_ERROR_INPUT : AO_NO_ERROR;
    if (err == AO_NO_ERROR) {
        *out = set;
        set = NULL;
    }
    ao_tableset_free(set);
    free(strings.text.data);
    /* Discard, never close: closing would write changes, and none are wanted. */
    if (r.archive != NULL)
        zip_discard(r.archive);
    for (size_t k = 0; k < r.n_sheets; k++) {
        free(r.sheets[k].name);
        free(r.sheets[k].rel_id);
    }
    free(r.sheets);
    for (size_t k = 0; k < r.n_rels; k++) {
        free(r.rels[k].id);
        free(r.rels[k].type);
        free(r.rels[k].target);
    }
    free(r.rels);
    for (size_t k = 0; k < r.n_strings; k++)
        free(r.strings[k]);
    free(r.strings);
    free(r.string_too_long);
    return err;
}
