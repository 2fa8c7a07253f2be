#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, compiling the library sources directly.
#
#   fuzz/build.sh            # harnesses into build-fuzz/ (or $FUZZ_BUILD_DIR)
#
# Needs clang and libclang-rt-14-dev (the libFuzzer runtime), plus the
# project's own dependencies.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${FUZZ_BUILD_DIR:-$root/build-fuzz}
cc=${CC_FUZZ:-clang}
mkdir -p "$out/obj"

flags=(-std=c11 -g -O1 -fno-omit-frame-pointer
       -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
       -D_POSIX_C_SOURCE=200809L -DAO_VERSION=\"fuzz\"
       -I"$root" $(pkg-config --cflags xlsxwriter jansson libzip expat))
libs=(-lglpk -lcsv -lzip -lexpat -lxlsxwriter -ljansson -lm -lpthread)

objects=()
for source in "$root"/common/*.c "$root"/io/*.c "$root"/models/*.c "$root"/report/*.c \
              "$root"/solver/*.c; do
    # The harnesses solve nothing big: GLPK only, so CLP's headers are not needed.
    [[ "$source" == */solver/lp_clp.c ]] && continue
    rel=${source#"$root"/}
    object="$out/obj/${rel//\//_}.o"
    if [[ ! -f "$object" || "$source" -nt "$object" ]]; then
        "$cc" "${flags[@]}" -c "$source" -o "$object"
    fi
    objects+=("$object")
done

for harness in fuzz_csv fuzz_xlsx fuzz_parse fuzz_scenario; do
    "$cc" "${flags[@]}" -fsanitize=fuzzer "$here/$harness.c" "${objects[@]}" "${libs[@]}" \
        -o "$out/$harness"
    echo "built $out/$harness"
done
