#!/usr/bin/env bash
# Refresh the vendored reference-data extracts in accounts/reference/data/ from the MoJ standing
# data (npm package @moj-bichard7-developers/bichard7-next-data, MIT licence).
#
#   scripts/refresh-reference-data.sh                 # newest published version
#   BICHARD_DATA_VERSION=2.0.414 scripts/refresh-reference-data.sh
#
# The extracts are committed, so a fresh machine needs neither Node nor network access: only this
# refresh does. Steps:
#   1. download the package tarball into a throwaway directory with `npm pack` (the data package
#      lists jest and typescript as runtime dependencies; `npm install` would fetch ~300 packages we
#      never use, and `npm pack` fetches only the one we read, still through npm and its registry);
#   2. run scripts/extract_reference_data.py, which checks the data in memory and only then writes
#      forces, police-units, courts, offence-codes and offence-categories (*.json.gz) and VERSION;
#   3. show what changed. Then `manage.py load_reference_data` puts it in the database.
#
# Re-extracting the same version rewrites identical .gz files; only VERSION's date changes.
set -euo pipefail

PACKAGE="@moj-bichard7-developers/bichard7-next-data"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
OUT="$ROOT/accounts/reference/data"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is required (only to refresh; loading the extracts needs no Node)"
[[ -x "$PYTHON" ]] || die "no Python at $PYTHON (set PYTHON=...)"

VERSION="${BICHARD_DATA_VERSION:-$(npm view "$PACKAGE" version)}"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "unexpected version '$VERSION'"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/casebridge-refdata.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log "Fetching $PACKAGE@$VERSION"
npm pack --json --silent --pack-destination "$WORK" "$PACKAGE@$VERSION" > "$WORK/pack.json"
read -r TARBALL INTEGRITY < <("$PYTHON" -c '
import json, sys
info = json.load(open(sys.argv[1]))[0]
print(info["filename"], info["integrity"])
' "$WORK/pack.json")
mkdir -p "$WORK/pkg"
tar -xzf "$WORK/$TARBALL" -C "$WORK/pkg"   # npm tarballs unpack to package/

log "Extracting into ${OUT#"$ROOT"/}"
"$PYTHON" "$ROOT/scripts/extract_reference_data.py" "$WORK/pkg/package" --out "$OUT" --integrity "$INTEGRITY"

if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$ROOT" status --short -- "$OUT" >&2 || true
fi
log "Done. Load it with: manage.py load_reference_data"
