#!/usr/bin/env bash
# apt-mirror.sh SUITE - prints the URI of the Debian archive this machine's apt configuration uses
# for SUITE (deb822 *.sources first, then one-line sources.list entries), so that no script names a
# mirror host of its own and the project works behind whatever mirror a machine is set up with.
set -euo pipefail
suite=${1:?usage: apt-mirror.sh SUITE}
for f in /etc/apt/sources.list.d/*.sources; do
  [ -r "$f" ] || continue
  # deb822 stanzas are separated by blank lines; take the first "Types: deb" stanza naming SUITE.
  uri=$(awk -v s="$suite" '
    BEGIN { RS = ""; FS = "\n" }
    {
      types = uris = suites = ""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^Types:/) types = $i
        if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); uris = u[1] }
        if ($i ~ /^Suites:/) suites = " " $i " "
      }
      if (types ~ /[ \t]deb([ \t]|$)/ && suites ~ "[ \t]" s "[ \t]") { print uris; exit }
    }' "$f")
  [ -n "$uri" ] && { echo "$uri"; exit 0; }
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -r "$f" ] || continue
  uri=$(awk -v s="$suite" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == s) { print $i; exit } }' "$f")
  [ -n "$uri" ] && { echo "$uri"; exit 0; }
done
exit 1
