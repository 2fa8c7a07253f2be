#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, compiling the library sources directly into one archive
# per layer.
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
       -I"$root" $(pkg-config --cflags libzip expat))

# One archive per layer, as the CMake build has (docs/architecture.md); each harness
# links only the layers it needs and their packages. The harnesses solve nothing big:
# GLPK only, so CLP's headers are not needed. No harness writes, so report/ is not built.
archive_layer() {
    local layer=$1 objects=() source rel object
    for source in "$root/$layer"/*.c; do
        [[ "$source" == */solver/lp_clp.c ]] && continue
        rel=${source#"$root"/}
        object="$out/obj/${rel//\//_}.o"
        if [[ ! -f "$object" || "$source" -nt "$object" ]]; then
            "$cc" "${flags[@]}" -c "$source" -o "$object"
        fi
        objects+=("$object")
    done
    rm -f "$out/libao_$layer.a"
    ar rcs "$out/libao_$layer.a" "${objects[@]}"
}
for layer in common io solver models; do
    archive_layer "$layer"
done

io_libs=("$out/libao_io.a" "$out/libao_common.a" -lcsv -lzip -lexpat -lm)
links_fuzz_csv=("${io_libs[@]}")
links_fuzz_xlsx=("${io_libs[@]}")
links_fuzz_parse=("$out/libao_common.a" -lm)
links_fuzz_scenario=("$out/libao_models.a" "$out/libao_solver.a" "${io_libs[@]}" -lglpk
                     -lpthread)
links_fuzz_model=("${links_fuzz_scenario[@]}")

for harness in fuzz_csv fuzz_xlsx fuzz_parse fuzz_scenario fuzz_model; do
    links="links_${harness}[@]"
    "$cc" "${flags[@]}" -fsanitize=fuzzer "$here/$harness.c" "${!links}" -o "$out/$harness"
    echo "built $out/$harness"
done
