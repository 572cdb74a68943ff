# Sourced by the scripts that build: the project's tools on PATH, and the flags of every
# WebAssembly build. The panic locations compiled into the page name each crate's source file by
# its full path on the building machine ($CARGO_HOME/registry/src/index.crates.io-…/yew-0.23.0/…);
# --remap-path-prefix shortens them to the crate's own name (yew-0.23.0/…), which saves the page
# about 0.3 KB brotli (measured with benches/size.mjs) and makes the build the same on every
# machine. Only the wasm32 target
# gets the flags, so native builds and tests are untouched.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$here/node_modules/.bin:$HOME/.cargo/bin:$PATH"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
# crates.io's directory (its name is the same on every machine), and any other registry's.
remap="--remap-path-prefix=$registry/index.crates.io-1949cf8c6b5b557f/="
for index in "$registry"/*/; do
  case "$index" in */index.crates.io-1949cf8c6b5b557f/) continue ;; esac
  [ -d "$index" ] && remap="$remap --remap-path-prefix=${index%/}/="
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$here/= $remap"
unset registry remap index
