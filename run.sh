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
# under load"; GC logs and bench/restart.sh's RSS samples under its load, bench/compare.sh for their cost):
# -Xmx160m            a first start of a fresh data directory keeps 53-66 MB live (-Xmx112m fails it).
# -XX:+UseSerialGC -Xms64m -Xmn32m -XX:MaxHeapFreeRatio=40
#                     a heap that commits only what it needs: a fixed 32 MB young generation (every page of it is
#                     touched, so it is kept small) and an old generation that starts small, grows with what survives
#                     and is shrunk back to 40 % free at each full collection (about 100 MB committed under load
#                     against the parallel collector's 142 MB, all of which it touches). The serial collector has no
#                     GC threads and the smallest GC structures; on 2 cores its young pauses cost no more.
# -XX:TrimNativeHeapInterval=5000  gives the C library's freed memory (mostly the JIT's arenas) back every 5 s.
# -XX:CompileThresholdScaling=0.25  hot methods compile after a quarter of the usual calls: a faster warm-up.
JVM_OPTS="-Xms64m -Xmx160m -Xmn32m -XX:+UseSerialGC -XX:MaxHeapFreeRatio=40 -XX:TrimNativeHeapInterval=5000"
JVM_OPTS="$JVM_OPTS -XX:CompileThresholdScaling=0.25"
exec java $CDS -Xlog:cds=off -Xlog:cds+dynamic=off ${JAVA_OPTS:-$JVM_OPTS} -jar "$JAR" "$@"
