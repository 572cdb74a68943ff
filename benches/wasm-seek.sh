#!/usr/bin/env bash
# Measures the timeline's seek in WebAssembly under Node.js: the release build the browser runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" build
export PATH="$here/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$here"
cargo build --release --locked --target wasm32-unknown-unknown --bin wasm-bench
out="$here/target/wasm-bench"
wasm-bindgen --target nodejs --out-dir "$out" target/wasm32-unknown-unknown/release/wasm-bench.wasm
# wasm-bindgen writes CommonJS for Node; the project itself is "type": "module".
echo '{"type": "commonjs"}' > "$out/package.json"
node "$out/wasm-bench.js"
