#!/usr/bin/env bash
# Builds the release site and measures frame times on the stress scene at 4× CPU throttling.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"
trunk build --release
node benches/frames.mjs
