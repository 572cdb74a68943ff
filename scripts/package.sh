#!/usr/bin/env bash
# Builds the release site and packs it as a SCORM 1.2 package for an LMS (Moodle, Canvas,
# Blackboard): target/package/socketlab-scorm12.zip, with imsmanifest.xml at its root, one SCO per
# lesson, and every file of the site at a relative path. Prints the package's path and size.
#
#   bash scripts/package.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/setup.sh" build
source "$here/scripts/env.sh"
cd "$here"

trunk build --release
out="$here/target/package"
stage="$out/scorm12"
rm -rf "$stage"
mkdir -p "$stage"
cp -R dist/. "$stage/"
cargo run --release --locked --quiet --bin socketlab-cli -- scorm-manifest "$stage" > "$stage/imsmanifest.xml"

# Python's zipfile (Python 3 is on every machine this runs on; `zip` may not be): entries in
# name order with a fixed date, so the same site gives the same bytes.
python3 - "$stage" "$out/socketlab-scorm12.zip" <<'PY'
import os, sys, zipfile
stage, target = sys.argv[1], sys.argv[2]
names = sorted(
    os.path.relpath(os.path.join(d, f), stage).replace(os.sep, "/")
    for d, _, files in os.walk(stage) for f in files
)
tmp = target + ".tmp"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in names:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        with open(os.path.join(stage, name), "rb") as f:
            z.writestr(info, f.read(), compresslevel=9)
os.replace(tmp, target)
print(f"{target}: {os.path.getsize(target)} bytes, {len(names)} files")
PY
