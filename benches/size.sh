#!/usr/bin/env bash
# Builds the release site and prints the size of everything the page loads at startup.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"
trunk build --release
node benches/size.mjs
