#include "report/atomic_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/strutil.h"

char *ao_atomic_temp_path(const char *target)
{
    /* The pid keeps two runs writing the same target from sharing a temporary. */
    return ao_asprintf("%s.tmp%ld", target, (long)getpid());
}

ao_error ao_atomic_commit(const char *temp_path, const char *target)
{
    int fd = open(temp_path, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    if (rename(temp_path, target) != 0) {
        remove(temp_path);
        return AO_ERROR_FILE_WRITE;
    }
    return AO_NO_ERROR;
}

void ao_atomic_abort(const char *temp_path)
{
    if (temp_path != NULL)
        remove(temp_path);
}

ao_error ao_atomic_stage(const char *path, const char *data, size_t length, char **temp_out)
{
    *temp_out = NULL;
    char *temp = ao_atomic_temp_path(path);
    if (temp == NULL)
        return AO_ERROR_MEMORY_MALLOC_FAILED;
    FILE *file = fopen(temp, "wb");
    if (file == NULL) {
        free(temp);
        return AO_ERROR_FILE_WRITE;
    }
    size_t written = fwrite(data, 1, length, file);
    int closed = fclose(file);
    if (written != length || closed != 0) {
        ao_atomic_abort(temp);
        free(temp);
        return AO_ERROR_FILE_WRITE;
    }
    *temp_out = temp;
    return AO_NO_ERROR;
}

ao_error ao_atomic_write(const char *path, const char *data, size_t length)
{
    char *temp = NULL;
    ao_error err = ao_atomic_stage(path, data, length, &temp);
    if (err == AO_NO_ERROR)
        err = ao_atomic_commit(temp, path);
    free(temp);
    return err;
}

ao_error ao_atomic_probe(const char *temp_path, int *created)
{
    *created = 0;
    FILE *probe = fopen(temp_path, "wb");
    if (probe == NULL)
        return AO_ERROR_FILE_WRITE;
    *created = 1;
    return fclose(probe) == 0 ? AO_NO_ERROR : AO_ERROR_FILE_WRITE;
}
