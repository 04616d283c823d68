#!/usr/bin/env bash
# Builds Caduceus and starts one node. With no configuration it runs embedded PostgreSQL and Redis under
# ./caduceus-data (or $CADUCEUS_DATA_DIR) and seeds a demo platform; see README.md for external databases.
#
# Start-up speed: the first run of each built jar records a class-data-sharing archive when it exits; later
# runs map it and start in about two seconds instead of three. The archive is keyed by the jar's hash, so a
# rebuild records a new one.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests install
JAR=api/target/caduceus.jar
DATA="${CADUCEUS_DATA_DIR:-caduceus-data}"
mkdir -p "$DATA"
ARCHIVE="$DATA/caduceus-$(sha256sum "$JAR" | cut -c1-12).jsa"
if [ -f "$ARCHIVE" ]; then
  CDS="-XX:SharedArchiveFile=$ARCHIVE"
else
  rm -f "$DATA"/caduceus-*.jsa
  CDS="-XX:ArchiveClassesAtExit=$ARCHIVE"
fi
exec java $CDS -Xlog:cds=off -Xlog:cds+dynamic=off ${JAVA_OPTS:--Xms128m -Xmx160m} -jar "$JAR" "$@"
