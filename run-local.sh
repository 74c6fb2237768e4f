#!/usr/bin/env bash
# Runs the whole pipeline on this machine: Kafka (KRaft), PostgreSQL, the Spark job and the producer service.
# Builds first (quick when nothing changed). Ctrl-C stops everything. Options: ./run-local.sh --help
set -euo pipefail
cd "$(dirname "$0")"
echo "Building (./mvnw package -DskipTests)..."
./mvnw -q -DskipTests package
exec java -cp "local-stack/target/classes:$(cat local-stack/target/stack.classpath)" dev.shopstream.stack.LocalStack "$@"
