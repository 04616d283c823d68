#!/usr/bin/env bash
# Builds Caduceus if its sources changed since the last build, and starts one node. With no configuration it runs
# embedded PostgreSQL and Redis under ./caduceus-data (or $CADUCEUS_DATA_DIR) and seeds a demo platform; see
# README.md for external databases.
#
# Start-up speed:
# - Maven runs only when the jar is missing or the sources it is built from (every pom.xml, openapi.yaml and each
#   module's src/main) differ from those of the last build here, as a hash of their contents, so an unchanged tree
#   starts at once and without Maven. It builds with `package`, never `install`: nothing goes to ~/.m2.
# - The first run of each jar records a class-data-sharing archive when the JVM exits (Ctrl-C); later runs map it.
#   The JVM accepts an archive only for the jar it was recorded with (same size and modification time) and the
#   same JVM, so the archive is named after exactly those; a rebuild or another JDK records a new one.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")"
JAR=api/target/caduceus.jar
BUILT_FROM=api/target/caduceus.sources

sources() {
  find pom.xml openapi.yaml */pom.xml */src/main -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum \
    | sha256sum | cut -c1-64
}

SOURCES=$(sources)
if [ ! -f "$JAR" ] || [ "$(cat "$BUILT_FROM" 2>/dev/null)" != "$SOURCES" ]; then
  echo "Building Caduceus (its sources changed since the last build)..." >&2
  rm -f "$BUILT_FROM"
  mvn -q -B -DskipTests package
  # The hash taken before the build: a file edited during the build makes the next start build again.
  echo "$SOURCES" > "$BUILT_FROM"
fi

DATA="${CADUCEUS_DATA_DIR:-caduceus-data}"
mkdir -p "$DATA"
JDK=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
JVM=$(stat -c '%n %s %Y' "$JDK"/lib/server/libjvm.so "$JDK"/bin/java 2>/dev/null || true)
ARCHIVE="$DATA/caduceus-$({ stat -c '%s %Y' "$JAR"; echo "$JVM"; } | sha256sum | cut -c1-12).jsa"
if [ -f "$ARCHIVE" ]; then
  CDS="-XX:SharedArchiveFile=$ARCHIVE"
else
  rm -f "$DATA"/caduceus-*.jsa
  CDS="-XX:ArchiveClassesAtExit=$ARCHIVE"
fi
# The JVM's options (JAVA_OPTS replaces them all), chosen by measurement (bench/README.md, "Restart to ready and RSS
# under load"; Native Memory Tracking and /proc/<pid>/smaps under bench/restart.sh's load):
# -Xms128m -Xmx160m   the heap: a first start of a fresh data directory keeps 53-66 MB live (-Xmx112m fails it).
# -XX:+UseParallelGC  G1's own structures (its 32 MB mark stack and remembered sets) cost 30-40 MB of RSS more.
# -XX:CompileThresholdScaling=0.25  hot methods compile after a quarter of the usual calls: a faster warm-up.
# Not here: -Xmn32m (a fixed young generation; the collector grows it to 53 MB, all resident) takes 20-30 MB off the
# peak RSS, but cost reads 15-47 % more JVM CPU per request in three compare.sh runs, so it is the operator's trade.
JVM_OPTS="-Xms128m -Xmx160m -XX:+UseParallelGC -XX:CompileThresholdScaling=0.25"
exec java $CDS -Xlog:cds=off -Xlog:cds+dynamic=off ${JAVA_OPTS:-$JVM_OPTS} -jar "$JAR" "$@"
