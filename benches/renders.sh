#!/usr/bin/env bash
# Builds the release site with each component's renders counted (--features render-count, into
# target/renders-dist: the real site is not touched) and prints, for lesson 7 and the stress
# scene, the components rendered and the DOM mutations at each redraw. Each build's link in
# index.html names its own features: a copy of the page adds render-count to the lessons' and the
# free player's (the stress scene opens in the latter); Trunk writes it out as index.html.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" test
source "$here/scripts/env.sh"
cd "$here"
page=".renders-index.html"
trap 'rm -f "$here/$page"' EXIT
sed -e 's/data-bin="socketlab-player" data-cargo-no-default-features/& data-cargo-features="render-count"/' \
    -e 's/data-bin="socketlab" data-cargo-no-default-features data-cargo-features="lessons"/data-bin="socketlab" data-cargo-no-default-features data-cargo-features="lessons,render-count"/' \
    index.html > "$page"
[ "$(grep -c 'render-count"' "$page")" = 2 ] || { echo "renders.sh: index.html has no lessons' or free player's link to count" >&2; exit 1; }
trunk build --release --dist target/renders-dist "$page"
node benches/renders.mjs
