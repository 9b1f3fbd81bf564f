#!/usr/bin/env bash
# Runs every test: the .NET suites (unit, storage, the real gateway on loopback) and, from
# within them, the official Anthropic and OpenAI SDKs against the gateway. Needs the .NET 10
# SDK and Node.js with npm. Ends with one line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

(cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)

results=TestResults
rm -rf "$results"
status=0
dotnet test Gatehouse.slnx --logger trx --results-directory "$results" "$@" || status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count notExecuted)))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
