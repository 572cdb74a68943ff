#!/usr/bin/env bash
# Builds the release site with each component's renders counted (--features render-count, into
# target/renders-dist: the real site is not touched) and prints, for lesson 7 and the stress
# scene, the components rendered and the DOM mutations at each redraw.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"
trunk build --release --features render-count --dist target/renders-dist
node benches/renders.mjs
