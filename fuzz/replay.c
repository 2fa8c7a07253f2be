/*
 * Replay inputs through a fuzzing harness without libFuzzer: each argument is a
 * file, or a folder whose files are each one input. Used by the test that replays
 * fuzz/corpus/<harness> and fuzz/regressions/<harness> (tests/functional), so that a
 * finding stays fixed in every build, sanitized or not.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Run one file; 0 when it could be read. */
static int replay_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 0;
    }
    size_t capacity = 4096, size = 0;
    unsigned char *data = malloc(capacity);
    size_t got;
    while (data != NULL && (got = fread(data + size, 1, capacity - size, file)) > 0) {
        size += got;
        if (size == capacity) {
            unsigned char *grown = realloc(data, capacity * 2);
            if (grown == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = grown;
            capacity *= 2;
        }
    }
    fclose(file);
    if (data == NULL) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return 0;
    }
    printf("replay %s (%zu bytes)\n", path, size);
    fflush(stdout);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 1;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every file of a folder, in name order; returns the count, or -1 on a failure. */
static long replay_folder(const char *path)
{
    DIR *folder = opendir(path);
    if (folder == NULL) {
        fprintf(stderr, "replay: cannot open the folder %s\n", path);
        return -1;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (count + 1) * sizeof *names);
        if (grown == NULL)
            break;
        names = grown;
        size_t length = strlen(path) + strlen(entry->d_name) + 2;
        names[count] = malloc(length);
        if (names[count] == NULL)
            break;
        snprintf(names[count], length, "%s/%s", path, entry->d_name);
        count++;
    }
    closedir(folder);
    if (count > 1)
        qsort(names, count, sizeof *names, compare_names);
    long done = 0;
    for (size_t k = 0; k < count; k++) {
        struct stat info;
        if (stat(names[k], &info) == 0 && S_ISREG(info.st_mode)) {
            if (!replay_file(names[k]))
                done = -1;
            else if (done >= 0)
                done++;
        }
        free(names[k]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE_OR_FOLDER...\n", argv[0]);
        return 2;
    }
    long total = 0;
    int failed = 0;
    for (int k = 1; k < argc; k++) {
        struct stat info;
        if (stat(argv[k], &info) != 0) {
            /* A harness without regressions yet has no folder. */
            printf("replay: %s does not exist; nothing to replay there\n", argv[k]);
        } else if (S_ISDIR(info.st_mode)) {
            long n = replay_folder(argv[k]);
            failed |= n < 0;
            total += n > 0 ? n : 0;
        } else if (replay_file(argv[k])) {
            total++;
        } else {
            failed = 1;
        }
    }
    printf("%ld inputs replayed without a crash\n", total);
    return failed ? 1 : 0;
}
