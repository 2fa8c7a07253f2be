#include "common/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/strutil.h"

void ao_diags_init(ao_diags *diags)
{
    memset(diags, 0, sizeof *diags);
}

void ao_diags_free(ao_diags *diags)
{
    if (diags == NULL)
        return;
    for (size_t k = 0; k < diags->count; k++) {
        ao_diag *d = &diags->items[k];
        free(d->file);
        free(d->table);
        free(d->column);
        free(d->cell);
        free(d->message);
    }
    free(diags->items);
    size_t limit = diags->limit;
    ao_diags_init(diags);
    diags->limit = limit;
}

ao_error ao_diags_add(ao_diags *diags, ao_severity severity, const ao_loc *loc, const char *fmt,
                      ...)
{
    va_list args;
    va_start(args, fmt);
    ao_error err = ao_diags_addv(diags, severity, loc, fmt, args);
    va_end(args);
    return err;
}

ao_error ao_diags_addv(ao_diags *diags, ao_severity severity, const ao_loc *loc, const char *fmt,
                       va_list args)
{
    if (severity == AO_DIAG_ERROR)
        diags->n_errors++;
    else
        diags->n_warnings++;
    size_t limit = diags->limit ? diags->limit : AO_DIAGS_DEFAULT_LIMIT;
    /* A flood of warnings (thousands of unknown columns) must not crowd out the
     * error that stops the run. */
    int full =
        severity == AO_DIAG_WARNING ? diags->warnings_kept >= limit / 2 : diags->count >= limit;
    if (full) {
        diags->dropped++;
        return AO_NO_ERROR;
    }
    if (diags->count == diags->capacity) {
        size_t capacity = diags->capacity ? 2 * diags->capacity : 16;
        ao_diag *items = realloc(diags->items, capacity * sizeof *items);
        if (items == NULL)
            return AO_ERROR_MEMORY_MALLOC_FAILED;
        diags->items = items;
        diags->capacity = capacity;
    }
    ao_diag *d = &diags->items[diags->count];
    memset(d, 0, sizeof *d);
    d->severity = severity;
    d->message = ao_vasprintf(fmt, args);
    if (loc != NULL) {
        d->file = ao_strdup(loc->file);
        d->table = ao_strdup(loc->table);
        d->row = loc->row;
        d->column = ao_strdup(loc->column);
        d->cell = ao_strdup(loc->cell);
    }
    if (d->message == NULL || (loc && ((loc->file && !d->file) || (loc->table && !d->table) ||
                                       (loc->column && !d->column) || (loc->cell && !d->cell)))) {
        free(d->file);
        free(d->table);
        free(d->column);
        free(d->cell);
        free(d->message);
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    }
    diags->count++;
    if (severity == AO_DIAG_WARNING)
        diags->warnings_kept++;
    return AO_NO_ERROR;
}

ao_error ao_diags_copy(ao_diags *to, const ao_diags *from, int errors_only)
{
    for (size_t k = 0; k < from->count; k++) {
        const ao_diag *d = &from->items[k];
        if (errors_only && d->severity != AO_DIAG_ERROR)
            continue;
        ao_loc loc = {d->file, d->table, d->row, d->column, d->cell};
        AO_RETURN_ON_ERROR(ao_diags_add(to, d->severity, &loc, "%s", d->message));
    }
    return AO_NO_ERROR;
}

char *ao_diag_format(const ao_diag *diag)
{
    ao_strbuf buf = {0};
    ao_strbuf_printf(&buf, "%s: ", diag->severity == AO_DIAG_ERROR ? "error" : "warning");
    const char *sep = "";
    if (diag->file) {
        ao_strbuf_printf(&buf, "%s", diag->file);
        sep = ", ";
    }
    if (diag->table) {
        ao_strbuf_printf(&buf, "%stable %s", sep, diag->table);
        sep = ", ";
    }
    if (diag->row > 0) {
        ao_strbuf_printf(&buf, "%srow %ld", sep, diag->row);
        sep = ", ";
    }
    if (diag->column) {
        ao_strbuf_printf(&buf, "%scolumn %s", sep, diag->column);
        sep = ", ";
    }
    if (diag->cell) {
        ao_strbuf_printf(&buf, "%scell %s", sep, diag->cell);
        sep = ", ";
    }
    ao_strbuf_printf(&buf, "%s%s", *sep ? ": " : "", diag->message ? diag->message : "");
    if (buf.failed) {
        ao_strbuf_free(&buf);
        return NULL;
    }
    return buf.data;
}
