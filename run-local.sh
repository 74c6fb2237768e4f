#!/usr/bin/env bash
# Runs the whole pipeline on this machine: Kafka (KRaft), PostgreSQL, the Spark job and the producer service.
# Builds first (quick when nothing changed). Ctrl-C stops everything. Options: ./run-local.sh --help
set -euo pipefail
cd "$(dirname "$0")"
# The usage needs no build: it is a file of the source tree (the launcher prints the same file).
for arg in "$@"; do
  case "$arg" in
    -h|--help) cat local-stack/src/main/resources/dev/shopstream/stack/run-local-usage.txt; exit 0 ;;
  esac
done
echo "Building (./mvnw package -DskipTests)..."
./mvnw -q -DskipTests package
exec java -cp "local-stack/target/classes:$(cat local-stack/target/stack.classpath)" dev.shopstream.stack.LocalStack "$@"
