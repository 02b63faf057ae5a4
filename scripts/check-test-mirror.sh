#!/usr/bin/env bash
# Lists every src type with behaviour that has no test class mirroring it (issue 16): for a type T
# declared in src/<Project>/<dir>/<File>.cs the test class is `class TTests` in
# tests/<Project>/<dir>/TTests.cs. Prints one line per missing class, "src/…/File.cs: T (tests/…/TTests.cs)",
# nothing when every type has one; exits 1 when it printed anything. bash, grep and awk only, so
# it runs before (and without) a .NET build.
#
# Which types count, decided from the source text alone:
#   - top-level class, record, record struct and struct declarations: those at column 0 (every src
#     file uses a file-scoped namespace). Nested types are part of their outer type's behaviour and
#     are tested in its class.
#   - with behaviour: the lines after the declaration, up to the next top-level declaration,
#     declare a method or constructor, i.e. a line of the form `<access modifier> … Name(` or
#     `Name<T>(` with no `=` before the `(` (properties, `=>` getters, field initialisers and tuple
#     types such as `List<(ulong, int)>` do not count; nor does a nested type's own declaration
#     line, though its methods count for the outer type). A class or record whose only code is a
#     primary constructor and properties is data, and needs no class.
#   - never interfaces or enums: they have no behaviour of their own.
# The rule reads declarations as this code base writes them (one declaration per line, access
# modifiers on members with behaviour); a member it cannot see is an argument for writing it so.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
while IFS= read -r file; do
  rel=${file#src/}
  dir=$(dirname "$rel")
  while IFS= read -r type; do
    [ -n "$type" ] || continue
    test="tests/$dir/${type}Tests.cs"
    if [ ! -f "$test" ] || ! grep -qE "class ${type}Tests\b" "$test"; then
      echo "$file: $type ($test)"
      status=1
    fi
  done < <(awk -v mods='(public |internal |file )?((sealed|static|abstract|readonly|partial|unsafe) )*' '
    function flush() { if (name != "" && behaviour) print name }
    /^[ \t]*\/\// { next }
    $0 ~ "^" mods "(class|record struct|record|struct) [A-Za-z_]" {
      flush()
      line = $0
      sub("^" mods "(class|record struct|record|struct) ", "", line)
      match(line, /^[A-Za-z_][A-Za-z0-9_]*/)
      name = substr(line, 1, RLENGTH)
      behaviour = 0
      next
    }
    $0 ~ "^" mods "(interface|enum) " { flush(); name = ""; next }
    name != "" && /^[ \t]+(public|internal|protected|private)[^=(]*[A-Za-z0-9_>][ \t]*\(/ &&
      !/ (class|record|struct|interface|enum|delegate) / { behaviour = 1 }
    END { flush() }
  ' "$file")
done < <(find src -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
exit $status
