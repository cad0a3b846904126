#!/usr/bin/env bash
# Long fuzz run: every target for 600 s, one at a time, from the worktree /work/wt/fuzz.
cd /work/wt/fuzz || exit 1
for t in Hl7WaveformFuzzTest WfdbFuzzTest MatFuzzTest DicomFuzzTest SierraFuzzTest AnnotatedEcgFuzzTest MuseFuzzTest FhirWaveformFuzzTest; do
  echo "$(date -u +%FT%TZ) start $t" >> /work/runs/fuzz/long.log
  start=$(date +%s)
  mvn -B -o -pl camel-routes -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest=$t -Dtamer.fuzz.seconds=600 -Dtamer.fuzz.runs=-1 -Dtamer.fuzz.timeout=1 > /work/runs/fuzz/$t-mvn.log 2>&1
  rc=$?
  cp camel-routes/target/fuzz-reports/$t-output.txt /work/runs/fuzz/ 2>/dev/null
  echo "$(date -u +%FT%TZ) end $t rc=$rc wall=$(( $(date +%s) - start ))s" >> /work/runs/fuzz/long.log
done
echo "$(date -u +%FT%TZ) all done" >> /work/runs/fuzz/long.log
