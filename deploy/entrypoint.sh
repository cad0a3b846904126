#!/bin/sh
# Starts a TAMER program offline (DJL never downloads anything): the gateway by default, or the class named by
# TAMER_MAIN (the training image sets org.tamer.training.cli.TamerCli). The same command runs outside a container
# with TAMER_HOME pointing at a folder whose lib/ holds the program's jar and its dependencies and whose bin/ holds
# tamer-java (the repository's bin/tamer-java: java with the native allocator PyTorch's CPU kernels need).
set -eu
TAMER_HOME="${TAMER_HOME:-/opt/tamer}"
TAMER_MAIN="${TAMER_MAIN:-org.tamer.gateway.Application}"
if [ ! -d "$TAMER_HOME/lib" ]; then
  echo "entrypoint: $TAMER_HOME/lib does not exist (set TAMER_HOME to the folder holding lib/)" >&2
  exit 2
fi
if [ ! -x "$TAMER_HOME/bin/tamer-java" ]; then
  echo "entrypoint: $TAMER_HOME/bin/tamer-java is missing or not executable (copy bin/tamer-java there)" >&2
  exit 2
fi
exec "$TAMER_HOME/bin/tamer-java" -Dai.djl.offline=true -Xss4m ${TAMER_JAVA_OPTS:-} -cp "$TAMER_HOME/lib/*" "$TAMER_MAIN" "$@"
