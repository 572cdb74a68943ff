#!/usr/bin/env bash
# Builds the release site and runs Lighthouse (mobile) on it, served with brotli.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"
trunk build --release
node benches/lighthouse.mjs
