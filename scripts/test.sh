#!/usr/bin/env bash
# Installs whatever is missing, then runs every test: native, components in headless Chromium,
# and end-to-end against the built release site. Any failure stops the run with a non-zero exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"

step() { printf '\n==== %s\n' "$*"; }

step "formatting: cargo fmt --check"
cargo fmt --check

step "tier 1/3, native: cargo test"
cargo test --locked

step "tier 2/3, components: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --locked --target wasm32-unknown-unknown --test 'ui_*'

step "tier 3/3, end-to-end: the release site and its SCORM package in Chromium (playwright-core)"
bash scripts/package.sh
node --test --test-concurrency=1 tests/e2e/
