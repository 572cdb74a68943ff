#!/usr/bin/env bash
# Installs whatever is missing, then serves Socket Lab at http://127.0.0.1:8080, rebuilding on
# every change (reload the browser to see it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" build
source "$here/scripts/env.sh"
cd "$here"
echo "Socket Lab: serving at http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve "$@"
