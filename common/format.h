/**
 * @file common/format.h
 * @brief Money and numbers as a finance analyst reads them, the same in every message,
 * console line and sentence of a workbook: £1,451.0m, £5,000, 1,234.5.
 */
#ifndef AO_COMMON_FORMAT_H
#define AO_COMMON_FORMAT_H

/** Bytes of a formatted figure. */
#define AO_FORMAT_FIGURE 64

/**
 * @brief Money: from a million up in millions with one decimal (£1,451.0m), below that in
 * whole pounds (£5,000); a minus sign before the £. A value that is not finite is written
 * as printf's %g writes it.
 * @return out.
 */
const char *ao_format_money(double value, char out[AO_FORMAT_FIGURE]);

/**
 * @brief A number with thousands separators and `decimals` decimals (0 to 6): 1,234.5.
 * No "-0.0": a value that rounds to zero has no sign. @return out.
 */
const char *ao_format_number(double value, int decimals, char out[AO_FORMAT_FIGURE]);

#endif /* AO_COMMON_FORMAT_H */
