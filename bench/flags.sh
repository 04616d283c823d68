#!/usr/bin/env bash
# Defines FLAGS boolean feature flags on a running bench node through the API, each with rules at every scope in the
# shape bench/FlagBench.java evaluates: a global rule, a region rule, a tenant-kind rule, a 10 % rollout to one
# tenant's physicians, and 20 user rules (random users of the run's tenants): 24 rules a flag. The node answers
# GET /v1/me/features with all of them evaluated for the caller (bench/lua/me_features.lua).
#
#   BENCH_URL=http://127.0.0.1:18090 BENCH_OUT=bench/results/bench_<time> bench/flags.sh [FLAGS=50]
# BENCH_OUT is a run.sh setup's folder (its owner.token and tenants.txt). compare.sh runs it as a side's setup:
#   COMPARE_B_SETUP="bench/flags.sh 50" COMPARE_SCENARIOS="me_features get_patient" bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FLAGS=${1:-50}
URL=${BENCH_URL:?BENCH_URL=http://host:port}
DATA=${BENCH_OUT:?BENCH_OUT=<run.sh setup folder>}
OWNER=$(cat "$DATA/owner.token")
mapfile -t TENANTS < <(awk '{print $2}' "$DATA/tenants.txt")
EXPIRES=$(date -u -d '+30 days' +%F)

define() { # flag number: the flag, then its 24 rules, each a POST (a node re-reads the flag after each)
  local f=$1 key="bench.flag-$1" n=${#TENANTS[@]}
  post() { curl -sf -o /dev/null "$URL$1" -H 'Content-Type: application/json' -H "Authorization: Bearer $OWNER" -d "$2" \
    || { echo "POST $1 failed: $2" >&2; return 1; }; }
  post /v1/platform/flags "{\"key\":\"$key\",\"kind\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},
    \"defaultVariant\":\"off\",\"owner\":\"bench\",\"description\":\"bench flag $f\",\"expiresOn\":\"$EXPIRES\"}"
  post "/v1/platform/flags/$key/rules" '{"scope":"global","variant":"off"}'
  post "/v1/platform/flags/$key/rules" '{"scope":"region","value":"us","variant":"off"}'
  post "/v1/platform/flags/$key/rules" '{"scope":"tenant_kind","value":"clinic","variant":"off"}'
  post "/v1/platform/flags/$key/rules" "{\"scope\":\"tenant\",\"tenantId\":\"${TENANTS[$((f % n))]}\",
    \"role\":\"physician\",\"variant\":\"on\",\"percentage\":10}"
  for u in $(seq 0 19); do
    post "/v1/platform/flags/$key/rules" "{\"scope\":\"user\",\"tenantId\":\"${TENANTS[$((u % n))]}\",
      \"value\":\"$(cat /proc/sys/kernel/random/uuid)\",\"variant\":\"on\"}"
  done
}
export -f define
export URL OWNER EXPIRES
export TENANTS_LIST="${TENANTS[*]}"
# Four flags at a time: each flag's rules in order, the flags side by side.
seq 0 $((FLAGS - 1)) | xargs -P 4 -I{} bash -c 'set -e; TENANTS=($TENANTS_LIST); define {}'
defined=$(curl -sf "$URL/v1/platform/flags" -H "Authorization: Bearer $OWNER" \
  | jq '[.items[] | select(.key | startswith("bench.flag-")) | select((.rules | length) == 24)] | length')
[ "$defined" -eq "$FLAGS" ] || { echo "flags.sh: $defined of $FLAGS flags have their 24 rules"; exit 1; }
echo "== $FLAGS flags with 24 rules each on $URL"
