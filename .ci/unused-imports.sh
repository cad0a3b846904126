#!/usr/bin/env bash
# Lists Java imports that the file never uses (javac does not warn about them). Exits 1 when it finds any.
set -euo pipefail
cd "$(dirname "$0")/.."
found=0
while IFS= read -r file; do
  for name in $(grep -oP '^import (static )?[\w.]+\.\K\w+(?=;)' "$file"); do
    if [ "$(grep -v '^import' "$file" | grep -cw "$name")" -eq 0 ]; then
      echo "$file: unused import $name"
      found=1
    fi
  done
done < <(git ls-files '*.java')
exit $found
