#!/usr/bin/env bash
# After long2.sh: the FHIR target again on the fixed code (its first run stopped at its finding after 392 s)
while ! grep -q "all done 2" /work/runs/fuzz/long.log; do sleep 10; done
cd /work/wt/fuzz || exit 1
git merge -q --ff-only main
t=FhirWaveformFuzzTest
echo "$(date -u +%FT%TZ) start $t (second run, after the FhirResourceReader fix)" >> /work/runs/fuzz/long.log
start=$(date +%s)
mvn -B -o -pl camel-routes -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest=$t -Dtamer.fuzz.seconds=600 -Dtamer.fuzz.runs=-1 -Dtamer.fuzz.timeout=1 > /work/runs/fuzz/$t-mvn-2.log 2>&1
rc=$?
echo "$(date -u +%FT%TZ) end $t rc=$rc wall=$(( $(date +%s) - start ))s" >> /work/runs/fuzz/long.log
echo "$(date -u +%FT%TZ) all done 3" >> /work/runs/fuzz/long.log
