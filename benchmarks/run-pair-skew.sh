#!/usr/bin/env bash
# The pair's snapshot skew, the product's way against the seed's way, on ESXi and KVM (see README.md).
# usage: benchmarks/run-pair-skew.sh [N=5] [backupSeconds=10]
# Builds first (./mvnw -q -DskipTests install from the root) when a packaged service or this module is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
N="${1:-5}"
SECONDS_PER_BACKUP="${2:-10}"

needs_build() {
  for s in inventory scheduler executor power; do
    [ -f "$s-service/target/quarkus-app/quarkus-run.jar" ] || return 0
  done
  [ -d benchmarks/target/lib ] || return 0
  ls benchmarks/target/benchmarks-*.jar >/dev/null 2>&1 || return 0
  return 1
}

if needs_build; then
  echo "Building (./mvnw -q -DskipTests install) …"
  ./mvnw -q -DskipTests install
fi

exec java -Dmoonshot.root="$ROOT" \
  -cp "benchmarks/target/lib/*:$(ls benchmarks/target/benchmarks-*.jar | head -1)" \
  moonshot.benchmarks.PairSkewBenchmark "$N" "$SECONDS_PER_BACKUP"
