#!/bin/sh
# Starts the gateway offline (DJL never downloads anything). The same command runs outside a container with
# TAMER_HOME pointing at a folder with lib/ (the gateway jar and its dependencies).
set -eu
TAMER_HOME="${TAMER_HOME:-/opt/tamer}"
exec java -Dai.djl.offline=true ${TAMER_JAVA_OPTS:-} -cp "$TAMER_HOME/lib/*" org.tamer.gateway.Application "$@"
