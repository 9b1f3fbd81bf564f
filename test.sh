#!/usr/bin/env bash
# Runs every test: the .NET suites (unit, storage, the real gateway on loopback, lookups against
# the bundled GeoIP data) and, from within them, the official Anthropic and OpenAI SDKs against
# the gateway. Needs the .NET 10
# SDK and Node.js with npm. Ends with one line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

(cd geoip && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# pipefail (above) makes a failing dotnet test fail the pipeline, not just tee.
dotnet test Gatehouse.slnx "$@" 2>&1 | tee "$log" || status=$?

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 51, Skipped: 0, Total: 51, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}')
assemblies=$(grep -cE '^(Passed|Failed)! +- Failed: ' "$log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed before all tests could report ($assemblies test assemblies reported)." >&2
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
