/**
 * @file common/strutil.h
 * @brief Small string helpers used across modules.
 */
#ifndef AO_COMMON_STRUTIL_H
#define AO_COMMON_STRUTIL_H

#include <stdarg.h>
#include <stddef.h>

/** @brief strdup that accepts NULL (returns NULL). */
char *ao_strdup(const char *text);

/** @brief strndup equivalent. */
char *ao_strndup(const char *text, size_t length);

/** @brief Allocate a printf-formatted string; NULL if out of memory. */
char *ao_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief vprintf variant of ao_asprintf(). */
char *ao_vasprintf(const char *fmt, va_list args);

/**
 * @brief A normalised copy for matching names: surrounding white space removed, ASCII
 * letters lower-cased. NULL if out of memory.
 */
char *ao_normalise_name(const char *text);

/** @brief Case-insensitive ASCII comparison of two names, ignoring surrounding spaces. */
int ao_name_equal(const char *a, const char *b);

/** @brief True when text is NULL or holds only white space. */
int ao_is_blank(const char *text);

/** A growable string buffer. Zero-initialise before use. */
typedef struct ao_strbuf {
    char *data;      ///< NUL-terminated contents (NULL while empty).
    size_t length;   ///< Characters used, without the NUL.
    size_t capacity; ///< Bytes allocated.
    int failed;      ///< Set once an allocation fails; later appends do nothing.
} ao_strbuf;

/** @brief Append a printf-formatted string. */
void ao_strbuf_printf(ao_strbuf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief Append length bytes. */
void ao_strbuf_append(ao_strbuf *buf, const char *text, size_t length);

/** @brief Free the buffer's memory. */
void ao_strbuf_free(ao_strbuf *buf);

#endif /* AO_COMMON_STRUTIL_H */
