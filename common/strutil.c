#include "common/strutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ao_strdup(const char *text)
{
    if (text == NULL)
        return NULL;
    return ao_strndup(text, strlen(text));
}

char *ao_strndup(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char *ao_vasprintf(const char *fmt, va_list args)
{
    va_list again;
    va_copy(again, args);
    int needed = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (needed < 0)
        return NULL;
    char *text = malloc((size_t)needed + 1);
    if (text == NULL)
        return NULL;
    vsnprintf(text, (size_t)needed + 1, fmt, args);
    return text;
}

char *ao_asprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *text = ao_vasprintf(fmt, args);
    va_end(args);
    return text;
}

/* Bounds of text with surrounding white space removed. */
static void trim_bounds(const char *text, const char **start, size_t *length)
{
    const char *begin = text;
    while (*begin != '\0' && isspace((unsigned char)*begin))
        begin++;
    const char *end = begin + strlen(begin);
    while (end > begin && isspace((unsigned char)end[-1]))
        end--;
    *start = begin;
    *length = (size_t)(end - begin);
}

char *ao_normalise_name(const char *text)
{
    if (text == NULL)
        return NULL;
    const char *start;
    size_t length;
    trim_bounds(text, &start, &length);
    char *name = ao_strndup(start, length);
    if (name == NULL)
        return NULL;
    for (char *c = name; *c != '\0'; c++)
        *c = (char)tolower((unsigned char)*c);
    return name;
}

int ao_name_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    const char *sa, *sb;
    size_t la, lb;
    trim_bounds(a, &sa, &la);
    trim_bounds(b, &sb, &lb);
    if (la != lb)
        return 0;
    for (size_t k = 0; k < la; k++)
        if (tolower((unsigned char)sa[k]) != tolower((unsigned char)sb[k]))
            return 0;
    return 1;
}

int ao_is_blank(const char *text)
{
    if (text == NULL)
        return 1;
    for (; *text != '\0'; text++)
        if (!isspace((unsigned char)*text))
            return 0;
    return 1;
}

static int strbuf_reserve(ao_strbuf *buf, size_t extra)
{
    if (buf->failed)
        return 0;
    size_t needed = buf->length + extra + 1;
    if (needed <= buf->capacity)
        return 1;
    size_t capacity = buf->capacity ? buf->capacity : 64;
    while (capacity < needed)
        capacity *= 2;
    char *data = realloc(buf->data, capacity);
    if (data == NULL) {
        buf->failed = 1;
        return 0;
    }
    buf->data = data;
    buf->capacity = capacity;
    return 1;
}

void ao_strbuf_append(ao_strbuf *buf, const char *text, size_t length)
{
    if (!strbuf_reserve(buf, length))
        return;
    memcpy(buf->data + buf->length, text, length);
    buf->length += length;
    buf->data[buf->length] = '\0';
}

void ao_strbuf_printf(ao_strbuf *buf, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *text = ao_vasprintf(fmt, args);
    va_end(args);
    if (text == NULL) {
        buf->failed = 1;
        return;
    }
    ao_strbuf_append(buf, text, strlen(text));
    free(text);
}

void ao_strbuf_free(ao_strbuf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->length = buf->capacity = 0;
    buf->failed = 0;
}
