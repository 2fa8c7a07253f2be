/* Recognise allocopt's own outputs by their content (io/output_owner.h). */
#include "io/output_owner.h"

#include <expat.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

/* Titles the writers give the workbooks they write (workbook_writer.c, sweep_writer.c). */
static const char *const output_titles[] = {"allocopt results", "allocopt sweep",
                                            "allocopt uncertainty study", NULL};
/* The title the template writer gives the input workbook (template.c). */
#define TEMPLATE_TITLE "allocopt input"

#define DC_TITLE "http://purl.org/dc/elements/1.1/ title"
#define LP_HEADER "\\* Problem: "
#define TITLE_MAX 256

typedef struct title_reader {
    int inside;           ///< Within dc:title.
    size_t length;        ///< Characters kept in text.
    char text[TITLE_MAX]; ///< The title (cut at TITLE_MAX - 1 characters).
} title_reader;

static void XMLCALL title_start(void *data, const XML_Char *name, const XML_Char **attributes)
{
    (void)attributes;
    title_reader *r = data;
    if (strcmp(name, DC_TITLE) == 0) {
        r->inside = 1;
        r->length = 0;
    }
}

static void XMLCALL title_end(void *data, const XML_Char *name)
{
    title_reader *r = data;
    if (strcmp(name, DC_TITLE) == 0)
        r->inside = 0;
}

static void XMLCALL title_text(void *data, const XML_Char *text, int length)
{
    title_reader *r = data;
    if (!r->inside)
        return;
    size_t room = TITLE_MAX - 1 - r->length;
    size_t n = (size_t)length < room ? (size_t)length : room;
    memcpy(r->text + r->length, text, n);
    r->length += n;
    r->text[r->length] = '\0';
}

/* The document title of a workbook, into `r`; 0 when it cannot be read. */
static int read_title(const char *path, title_reader *r)
{
    int ok = 0, code = 0;
    char *xml = NULL;
    zip_file_t *file = NULL;
    zip_t *archive = zip_open(path, ZIP_RDONLY, &code);
    if (archive == NULL)
        return 0;
    zip_stat_t info;
    zip_stat_init(&info);
    if (zip_stat(archive, "docProps/core.xml", 0, &info) != 0 || !(info.valid & ZIP_STAT_SIZE) ||
        info.size > AO_OUTPUT_MAX_CORE_BYTES)
        goto done;
    xml = malloc((size_t)info.size + 1);
    file = zip_fopen(archive, "docProps/core.xml", 0);
    if (xml == NULL || file == NULL || zip_fread(file, xml, info.size) != (zip_int64_t)info.size)
        goto done;
    XML_Parser parser = XML_ParserCreateNS(NULL, ' ');
    if (parser == NULL)
        goto done;
    XML_SetUserData(parser, r);
    XML_SetElementHandler(parser, title_start, title_end);
    XML_SetCharacterDataHandler(parser, title_text);
    ok = XML_Parse(parser, xml, (int)info.size, 1) == XML_STATUS_OK;
    XML_ParserFree(parser);
done:
    if (file != NULL)
        zip_fclose(file);
    free(xml);
    zip_discard(archive);
    return ok;
}

static ao_output_owner workbook_owner(const char *path)
{
    title_reader r = {0};
    if (!read_title(path, &r))
        return AO_OUTPUT_OTHER;
    for (size_t k = 0; output_titles[k] != NULL; k++)
        if (strcmp(r.text, output_titles[k]) == 0)
            return AO_OUTPUT_ALLOCOPT;
    return strcmp(r.text, TEMPLATE_TITLE) == 0 ? AO_OUTPUT_TEMPLATE : AO_OUTPUT_OTHER;
}

static ao_output_owner json_owner(const char *path, off_t size)
{
    if ((unsigned long long)size > AO_OUTPUT_MAX_JSON_BYTES)
        return AO_OUTPUT_OTHER;
    json_error_t error;
    json_t *root = json_load_file(path, 0, &error);
    int own = json_is_string(json_object_get(root, "allocopt_version"));
    json_decref(root);
    return own ? AO_OUTPUT_ALLOCOPT : AO_OUTPUT_OTHER;
}

ao_output_owner ao_output_owner_of(const char *path)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0)
        return AO_OUTPUT_ABSENT;
    if (!S_ISREG(st.st_mode))
        return AO_OUTPUT_OTHER;
    if (st.st_size == 0)
        return AO_OUTPUT_ABSENT;
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return AO_OUTPUT_OTHER;
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, file);
    fclose(file);
    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return workbook_owner(path);
    size_t skip = strspn(head, " \t\r\n");
    if (skip < n && head[skip] == '{')
        return json_owner(path, st.st_size);
    if (n >= strlen(LP_HEADER) && memcmp(head, LP_HEADER, strlen(LP_HEADER)) == 0)
        return AO_OUTPUT_ALLOCOPT;
    return AO_OUTPUT_OTHER;
}
