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
# The JVM's options (JAVA_OPTS replaces them all): jvm.options, each with the measurement that chose it.
JVM_OPTS=$(sed 's/#.*//' jvm.options | xargs)
exec java $CDS -Xlog:cds=off -Xlog:cds+dynamic=off ${JAVA_OPTS:-$JVM_OPTS} -jar "$JAR" "$@"
