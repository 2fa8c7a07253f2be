/* Figures as a finance analyst reads them (common/format.h). */
#include "common/format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Beyond this a figure is written without separators: no budget comes near it. */
#define AO_FORMAT_LARGEST 1e15
#define AO_FORMAT_MAX_DECIMALS 6

const char *ao_format_number(double value, int decimals, char out[AO_FORMAT_FIGURE])
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > AO_FORMAT_MAX_DECIMALS)
        decimals = AO_FORMAT_MAX_DECIMALS;
    double scale = pow(10.0, decimals);
    double magnitude = round(fabs(value) * scale) / scale;
    if (!isfinite(value) || magnitude >= AO_FORMAT_LARGEST) {
        snprintf(out, AO_FORMAT_FIGURE, "%.*f", decimals, value);
        return out;
    }
    char digits[AO_FORMAT_FIGURE];
    snprintf(digits, sizeof digits, "%.*f", decimals, magnitude);
    size_t whole = strcspn(digits, ".");
    size_t o = 0;
    /* No "-0.0": a value that rounds to zero has no sign. */
    if (value < 0 && magnitude > 0)
        out[o++] = '-';
    for (size_t k = 0; k < whole; k++) {
        if (k > 0 && (whole - k) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[k];
    }
    snprintf(out + o, AO_FORMAT_FIGURE - o, "%s", digits + whole);
    return out;
}

const char *ao_format_money(double value, char out[AO_FORMAT_FIGURE])
{
    char figure[AO_FORMAT_FIGURE];
    if (!isfinite(value)) {
        snprintf(out, AO_FORMAT_FIGURE, "%g", value);
        return out;
    }
    int millions = fabs(value) >= 1e6;
    double shown = millions ? round(fabs(value) / 1e5) / 10.0 : round(fabs(value));
    ao_format_number(shown, millions ? 1 : 0, figure);
    snprintf(out, AO_FORMAT_FIGURE, "%s£%.48s%s", value < 0 && shown > 0 ? "-" : "", figure,
             millions ? "m" : "");
    return out;
}
