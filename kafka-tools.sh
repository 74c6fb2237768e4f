#!/usr/bin/env bash
# Apache Kafka's own command-line tools, from the jars the build already has (no Kafka download needed).
#   ./kafka-tools.sh console-consumer --bootstrap-server localhost:9092 --topic user_events --from-beginning --max-messages 3
#   ./kafka-tools.sh topics --bootstrap-server localhost:9092 --describe --topic user_events
#   ./kafka-tools.sh producer-perf-test --topic perf --num-records 100000 --record-size 200 --throughput -1 --producer-props bootstrap.servers=localhost:9092
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f kafka-broker/target/broker.classpath ]; then
  ./mvnw -q -pl kafka-broker package -DskipTests
fi
tool="${1:-}"; shift || true
case "$tool" in
  console-consumer)   main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  console-producer)   main=org.apache.kafka.tools.ConsoleProducer ;;
  topics)             main=org.apache.kafka.tools.TopicCommand ;;
  consumer-groups)    main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  producer-perf-test) main=org.apache.kafka.tools.ProducerPerformance ;;
  *) echo "Usage: $0 console-consumer|console-producer|topics|consumer-groups|producer-perf-test [tool options]" >&2; exit 2 ;;
esac
exec java -cp "kafka-broker/target/classes:$(cat kafka-broker/target/broker.classpath)" "$main" "$@"
