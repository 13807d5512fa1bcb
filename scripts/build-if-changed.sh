#!/usr/bin/env bash
# Builds the service (npm run build) unless dist already holds a build of these very sources, so that a second
# `npm run demo` starts in seconds. The sources are everything the build reads: apps/ and libs/ (without the specs,
# which it leaves out), the tsconfigs, nest-cli.json, package.json and package-lock.json. Their digest is kept inside
# the build's own output folder, which every build deletes first: a build made any other way is rebuilt here once.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly OUTPUT_DIR=dist/apps/security-api
readonly ENTRY_FILE="$OUTPUT_DIR/apps/security-api/src/main.js"
readonly DIGEST_FILE="$OUTPUT_DIR/.sources.sha256"

# Names and contents both count: a renamed or deleted file changes the digest too.
sources_digest() {
  find apps libs -type f ! -name '*.spec.ts' -print0 |
    LC_ALL=C sort -z |
    xargs -0 sha256sum -- tsconfig.json nest-cli.json package.json package-lock.json |
    sha256sum |
    cut -d' ' -f1
}

digest="$(sources_digest)"
if [[ -f $ENTRY_FILE && -f $DIGEST_FILE && "$(cat "$DIGEST_FILE")" == "$digest" ]]; then
  echo "The build in $OUTPUT_DIR is of the current sources: not rebuilding."
  exit 0
fi
npm run build --silent
echo "$digest" >"$DIGEST_FILE"
