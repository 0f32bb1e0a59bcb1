#!/usr/bin/env bash
# Builds librlhf_ops.so, the engine's fused CPU kernels (rlhf_ops.c and the files it names), into OUT_DIR. Run by Maven (engine/pom.xml).
#   build.sh OUT_DIR
# Needs a C compiler and ONNX Runtime's C API header, which no Maven artifact ships: it comes from the Go module
# proxy (github.com/yalue/onnxruntime_go vendors the headers of the ONNX Runtime release it binds), checked by
# SHA-256 and cached in ~/.cache/rlhf. Without a compiler, the header, or on a CPU other than x86-64, the library
# is not built and the engine trains on standard ONNX operators; RLHF_REQUIRE_FUSED_KERNELS=1 (CI) makes that an error.
set -euo pipefail
out_dir=$1
src_dir=$(cd "$(dirname "$0")" && pwd)
# onnxruntime_go v1.25.0 carries onnxruntime_c_api.h of ONNX Runtime 1.23 (ORT_API_VERSION 23), the runtime in the pom.
header_module=github.com/yalue/onnxruntime_go
header_version=v1.25.0
header_sha256=a4ab54a0032c038c9e52aa21aba9df671ed6a16489fcdffb8835f580fbb5940f
cache=${XDG_CACHE_HOME:-$HOME/.cache}/rlhf
archive=$cache/onnxruntime_go-$header_version.zip

skip() {
  echo "engine: fused kernels not built: $1; training graphs use standard ONNX operators" >&2
  if [[ "${RLHF_REQUIRE_FUSED_KERNELS:-}" == 1 ]]; then
    echo "engine: RLHF_REQUIRE_FUSED_KERNELS=1, so this is an error" >&2
    exit 1
  fi
  exit 0
}

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || skip "kernels are built for Linux x86-64 only"
cc=${CC:-cc}
command -v "$cc" >/dev/null || skip "no C compiler ('$cc')"
command -v jar >/dev/null || skip "no 'jar' (a JDK's bin folder is not on the PATH)"

verified() { [[ -f "$1" ]] && echo "$header_sha256  $1" | sha256sum --check --status; }
if ! verified "$archive"; then
  mkdir -p "$cache" 2>/dev/null || skip "cannot create the cache folder $cache"
  url="https://proxy.golang.org/$header_module/@v/$header_version.zip"
  curl -fsSL --retry 3 -o "$archive.part" "$url" 2>/dev/null || skip "could not download $url"
  verified "$archive.part" || { rm -f "$archive.part"; skip "$url does not have the expected SHA-256"; }
  mv "$archive.part" "$archive"
fi

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
# jar, not unzip: every machine that builds this has a JDK
(cd "$build" && jar xf "$archive" "$header_module@$header_version/onnxruntime_c_api.h" \
    "$header_module@$header_version/onnxruntime_ep_c_api.h")
mkdir -p "$out_dir"
# -ffp-contract=off: no fused multiply-adds, so AdamWStep rounds exactly like the unfused graph's nodes; the
# attention kernels' products want them, and match their nodes to rounding only anyway (-ffp-contract=fast).
# -fopenmp-simd: the "omp simd reduction" loops may sum in vector lanes (no threads: ONNX Runtime runs those).
# -Wno-psabi: the 64-byte vectors of causal_attention.c never cross the library's interface.
compile() {
  "$cc" -O3 -std=c11 -D_GNU_SOURCE -fPIC -Wall -Wextra -Wno-psabi -fno-math-errno -fno-trapping-math \
      -fopenmp-simd -fvisibility=hidden -I"$build/$header_module@$header_version" -c "$@"
}
{ compile -ffp-contract=off -o "$build/rlhf_ops.o" "$src_dir/rlhf_ops.c" \
    && compile -ffp-contract=off -o "$build/swiglu.o" "$src_dir/swiglu.c" \
    && compile -ffp-contract=fast -o "$build/causal_attention.o" "$src_dir/causal_attention.c" \
    && compile -ffp-contract=fast -o "$build/attention_ops.o" "$src_dir/attention_ops.c" \
    && "$cc" -shared -o "$out_dir/librlhf_ops.so" "$build/rlhf_ops.o" "$build/causal_attention.o" \
        "$build/attention_ops.o" "$build/swiglu.o" -lm -lpthread; } \
  || skip "$cc could not compile the kernels in $src_dir"
echo "engine: built $out_dir/librlhf_ops.so"
