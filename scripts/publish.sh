#!/usr/bin/env bash
# Publishes hvdump as a NativeAOT single file (the capture path: no JIT, fast start, small RSS).
# usage: scripts/publish.sh [RID]   (default linux-x64; linux-arm64 needs a cross toolchain)
# Output: artifacts/publish/RID/hvdump. ILCompiler links with clang, or gcc when clang is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${1:-linux-x64}
extra=()
command -v clang >/dev/null || extra+=(-p:CppCompilerAndLinker=gcc)
dotnet publish src/Cli/HvDumpKit.Cli.csproj -c Release -r "$rid" -p:PublishAot=true -p:StripSymbols=true \
  "${extra[@]}" -o "artifacts/publish/$rid" -nologo -v q
ls -la "artifacts/publish/$rid/hvdump"
