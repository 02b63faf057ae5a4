#!/usr/bin/env bash
# Copies a fuzz run's queues (FUZZ_KEEP_QUEUE=DIR fuzz/run.sh ...) into tests/Robustness/corpus,
# where CorpusTests replays them: per target the N smallest inputs (afl's queue is mostly
# malformed variants of the seeds), renamed TARGET-NNN. Crash and hang reproducers are kept by
# hand under descriptive names and never removed here.
# usage: fuzz/keep-corpus.sh QUEUE_DIR [N]
set -euo pipefail
cd "$(dirname "$0")/.."
q=$1; n=${2:-100}
for dir in "$q"/*/; do
  t=$(basename "$dir")
  dest=tests/Robustness/corpus/$t
  mkdir -p "$dest"
  rm -f "$dest/$t"-[0-9][0-9][0-9]
  i=0
  # The filter target's inputs are whole kernel images (~200 KiB): keep fewer of them.
  limit=$n; [ "$t" = filter ] && limit=$((n / 4))
  while IFS= read -r f; do
    cp "$f" "$dest/$(printf '%s-%03d' "$t" "$i")"
    i=$((i + 1))
  done < <(find "$dir" -maxdepth 1 -type f -name 'id:*' -printf '%s %p\n' | sort -n | head -n "$limit" | cut -d' ' -f2-)
  echo "$t: $i inputs"
done
