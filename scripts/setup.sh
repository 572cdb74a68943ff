#!/usr/bin/env bash
# Installs whatever Socket Lab's build and tests need and is missing, at pinned versions.
# Idempotent: each tool is skipped when the right version is already there.
#
#   bash scripts/setup.sh build   # what `trunk serve` and `trunk build` need
#   bash scripts/setup.sh test    # that, plus Chromium, ChromeDriver, tshark, a CJK font and the e2e packages
#
# Sourced by scripts/serve.sh and scripts/test.sh, which then find the tools on PATH.
# Versions are pinned here, in package-lock.json and in Cargo.lock; see TOOLCHAIN notes in README.
set -euo pipefail

TRUNK_VERSION=0.21.14

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="${1:-test}"

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

export PATH="$here/node_modules/.bin:$HOME/.cargo/bin:$PATH"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else fail "installing system packages needs root or sudo: $*"; fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "need $* but this machine has no apt-get; install them by hand"
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update failed"
    apt_updated=1
  fi
  say "installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    || fail "apt-get install $* failed"
}

# --- Rust ----------------------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || fail "cargo is not installed: Socket Lab needs the Rust toolchain (rustup)"
command -v rustup >/dev/null 2>&1 || fail "rustup is not installed: it is needed to add the wasm32 target"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown || fail "rustup could not add wasm32-unknown-unknown"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes several minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION" || fail "cargo install trunk $TRUNK_VERSION failed"
fi

# wasm-bindgen's CLI must match the library in Cargo.lock exactly, or Trunk and the test runner
# refuse to work. It is installed without --locked: one of its locked dependencies is gone from
# the registry.
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$here/Cargo.lock")"
[ -n "$bindgen_version" ] || fail "Cargo.lock names no wasm-bindgen version"
grep -q "^wasm_bindgen = \"$bindgen_version\"" "$here/Trunk.toml" \
  || fail "Trunk.toml's [tools] wasm_bindgen differs from Cargo.lock's wasm-bindgen $bindgen_version"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ] \
  || [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != "wasm-bindgen-test-runner $bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version"
  cargo install --force wasm-bindgen-cli --version "$bindgen_version" \
    || fail "cargo install wasm-bindgen-cli $bindgen_version failed"
fi

# --- Node packages (binaryen's wasm-opt, playwright-core, axe-core, scorm-again) --------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
stamp="$here/node_modules/.socketlab-lock.sha256"
lock_sum="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm packages from package-lock.json (npm ci)"
  (cd "$here" && npm ci --no-audit --no-fund) || fail "npm ci failed"
  echo "$lock_sum" > "$stamp"
fi
wasm_opt_want="$(awk -F'"' '/^wasm_opt = / { print $2 }' "$here/Trunk.toml")"
wasm-opt --version 2>/dev/null | grep -q "($wasm_opt_want)" \
  || fail "wasm-opt on PATH is not $wasm_opt_want (Trunk.toml); got: $(wasm-opt --version 2>&1 | head -1)"

# --- Browsers and capture tools, for the tests ------------------------------------------------------
if [ "$want" = test ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v tshark >/dev/null 2>&1 || missing+=(tshark)
  # Chinese text in the tests is drawn with a system CJK font, as on a learner's machine.
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
  [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after installing chromium"
  [ -x /usr/bin/chromedriver ] || fail "/usr/bin/chromedriver is missing after installing chromium-driver"
fi

say "ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -1), node $(node --version)"
