#!/usr/bin/env bash
# The benchmark suite (GitHub issue #5): producer and job throughput, freshness, API, state scale and memory,
# each against a reference measured in the same run, on the local stack (a real Kafka broker and PostgreSQL).
#   ./run-benchmarks.sh            # --short: the whole suite on less data, under 5 minutes
#   ./run-benchmarks.sh --full     # the issue's protocol (2M events, 1M keys, 2 minutes of probes): about 30 minutes
#   ./run-benchmarks.sh --only=producer,api --verbose    # parts: producer,job,scale,freshness,api,cluster
# Prints one table and writes it as markdown to benchmarks/target/benchmarks.md. Needs PostgreSQL on
# localhost:5432 (or PGHOST/PGPORT), wrk and pgbench (Debian: apt-get install -y wrk postgresql).
set -euo pipefail
cd "$(dirname "$0")"
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing wrk (apt-get install -y wrk)..."
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "wrk is missing (sudo apt-get install -y wrk): the API figure will say so." >&2
  fi
fi
# Figure 2 ("job") runs Flink SQL beside the job: its module is built only then (profile flink), never by ./mvnw verify.
modules=benchmarks
profiles=()
only=""
for arg in "$@"; do
  case "$arg" in --only=*) only="${arg#--only=}" ;; esac
done
if [ -z "$only" ] || [[ ",$only," == *",job,"* ]]; then
  modules=benchmarks,flink-reference
  profiles=(-Pflink)
fi
echo "Building (./mvnw package -DskipTests ${profiles[*]} -pl $modules -am)..."
./mvnw -q -DskipTests package "${profiles[@]}" -pl "$modules" -am
exec java -Xmx1g -cp "benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)" dev.shopstream.bench.BenchmarkSuite "$@"
