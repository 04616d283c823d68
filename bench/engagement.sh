#!/usr/bin/env bash
# The engagement engine's delivery benchmark: messages per second delivered to the fake FCM and Twilio endpoints
# through the real SDKs, with every state change durable, beside a raw insert/update loop on the same embedded
# PostgreSQL in the same run. BENCH_TENANTS (10) tenants with BENCH_MESSAGES (2000) messages each.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl tenant-routing,notifications -am
mvn -B test -pl notifications -Dtest=EngagementBench -Dbench.excluded=none \
  -Dbench.tenants="${BENCH_TENANTS:-10}" -Dbench.messages="${BENCH_MESSAGES:-2000}" 2>&1 \
  | grep -E 'ENGAGEMENT BENCH|^  |Tests run|FAIL'
