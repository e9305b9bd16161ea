#!/usr/bin/env bash
# The embedded default: a real Kafka broker and PostgreSQL, the hypervisor lab and the four services.
# Builds first when the packaged services are missing or older than the sources. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"

needs_build() {
  for s in inventory scheduler executor power; do
    [ -f "$s-service/target/quarkus-app/quarkus-run.jar" ] || return 0
  done
  [ -d local-stack/target/lib ] || return 0
  ls local-stack/target/local-stack-*.jar >/dev/null 2>&1 || return 0
  # any source or pom newer than the newest packaged service?
  [ -n "$(find . -path ./.stack -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' -o -name '*.sql' \) \
        -newer executor-service/target/quarkus-app/quarkus-run.jar -print -quit)" ] && return 0
  return 1
}

if needs_build; then
  echo "Building (./mvnw -DskipTests install) …"
  ./mvnw -q -DskipTests install
fi

case "${1:-}" in
  ""|demo) ;;
  *) echo "usage: ./run.sh [demo]" >&2; exit 2 ;;
esac

exec java -Dmoonshot.root="$ROOT" -cp "$ROOT/local-stack/target/lib/*:$(ls "$ROOT"/local-stack/target/local-stack-*.jar | head -1)" \
  moonshot.stack.StackMain "$@"
