/*
 * A file of the models layer that calls a writer of the report layer: the layering
 * forbids it, and the build must refuse it. The ctest layer_models_may_not_call_report
 * links this file the way the models layer is linked and passes only when the link
 * fails on the writer's symbol.
 */
#include "report/json_writer.h"

int ao_layer_violation(void);

int ao_layer_violation(void)
{
    return (int)ao_json_write(NULL, NULL);
}
