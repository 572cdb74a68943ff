#!/usr/bin/env bash
# Builds the release site with each component's renders counted (--features render-count, into
# target/renders-dist: the real site is not touched) and prints, for lesson 7 and the stress
# scene, the components rendered and the DOM mutations at each redraw. The stress scene opens in
# the free player's build, whose link in index.html names its own features: a copy of the page
# adds render-count there too (Trunk writes it out as index.html).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"
page=".renders-index.html"
trap 'rm -f "$here/$page"' EXIT
sed 's/data-bin="socketlab-player" data-cargo-no-default-features/& data-cargo-features="render-count"/' index.html > "$page"
grep -q 'data-cargo-features="render-count"' "$page" || { echo "renders.sh: index.html has no socketlab-player link to count" >&2; exit 1; }
trunk build --release --features render-count --dist target/renders-dist "$page"
node benches/renders.mjs
