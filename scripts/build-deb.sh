#!/usr/bin/env bash
# Builds the two Debian packages from the NativeAOT binary:
#   artifacts/hvdump_VERSION_amd64.deb              /usr/bin/hvdump, hvdump(1), bash completion,
#                                                   hvdump-save.service (not enabled), docs
#   artifacts/hvdump-makedumpfile_VERSION_all.deb   /usr/bin/makedumpfile -> hvdump, Debian's
#                                                   makedumpfile diverted to makedumpfile.distrib
# usage: scripts/build-deb.sh      (prints the two paths; needs dpkg-dev for dpkg-shlibdeps)
#
# The binary is artifacts/publish/linux-x64/hvdump from scripts/publish.sh, published again when it
# is missing or was built from another commit than HEAD (its --version names the commit), so that
# a package is always the code of the commit its version names.
#
# VERSION is UPSTREAM+gitN.gSHA: UPSTREAM the assembly version the binary reports (the csproj's
# Version; 1.0.0 while the project sets none), N the number of commits up to HEAD (so that a later
# commit is a newer package for dpkg and apt), SHA HEAD's short hash (which commit). No hyphen: a
# native package, as nothing upstream of this repository exists. Files carry the commit's time
# (SOURCE_DATE_EPOCH), so a package is the same bytes whenever it is built from the same commit.
#
# lintian 2.116 (Debian 12; `lintian --pedantic --display-info artifacts/*.deb`, and
# tests/Packaging/DebPackageTests.cs fails on any E: or W: line) reports no error and no warning
# on either package. One override, with its reason in packaging/hvdump.lintian-overrides:
#   O: hvdump: embedded-library zlib   the codecs are linked in on purpose, for a bare capture initramfs
# Informational tags left, and why:
#   I: hvdump: hardening-no-fortify-functions          the binary is linked by .NET's ILCompiler, not
#      built with dpkg-buildflags; its few C parts are the runtime's and Debian's static archives
#   I: hvdump: package-supports-alternative-init-but-no-init.d-script   hvdump-save.service is a
#      oneshot for systemd boots (FADump on a systemd distribution), not a daemon to start under sysvinit
#   I: hvdump: spelling-error-in-binary Endianess, Reencode, TRight   identifiers in the binary's
#      metadata: ELFSharp's Endianess enum, our NoteByteOrder.Reencode, a generic parameter name in the .NET libraries
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rid=linux-x64
bin=artifacts/publish/$rid/hvdump
head=$(git rev-parse HEAD)
if [ ! -x "$bin" ] || ! "$bin" --version | head -n1 | grep -q "+$head"; then
  scripts/publish.sh "$rid" >&2
fi
upstream=$("$bin" --version | sed -n '1s/^hvdump \([0-9][0-9.]*\).*/\1/p')
[ -n "$upstream" ] || { echo "build-deb: cannot read the version of $bin" >&2; exit 1; }
version="$upstream+git$(git rev-list --count HEAD).g$(git rev-parse --short=7 HEAD)"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
maintainer="HvDumpKit maintainers <maintainers@users.noreply.r-seed-dc07045d.example>"

work=$(mktemp -d "${TMPDIR:-/tmp}/hvdump-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 022

# The documentation every binary package carries: copyright and the (native) changelog.
doc_files() { # PACKAGE DIR
  local d=$2/usr/share/doc/$1
  mkdir -p "$d"
  install -m 0644 packaging/copyright "$d/copyright"
  # A native package's changelog is changelog.gz (lintian: wrong-name-for-changelog-of-native-package).
  {
    echo "hvdump ($version) unstable; urgency=medium"
    echo
    echo "  * Built from commit $(git rev-parse --short=12 HEAD) of the HvDumpKit repository;"
    echo "    its git log is the history of the changes."
    echo
    echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
  } | gzip -9n > "$d/changelog.gz"
  chmod 0644 "$d/changelog.gz"
}

# ---- hvdump -------------------------------------------------------------------------------------
p=$work/debian/hvdump
install -D -m 0755 "$bin" "$p/usr/bin/hvdump"
# The linker's .comment (compiler versions) serves nothing at run time (lintian: binary-has-unneeded-section).
objcopy --remove-section=.comment "$p/usr/bin/hvdump"
install -d "$p/usr/share/man/man1"
gzip -9n < packaging/hvdump.1 > "$p/usr/share/man/man1/hvdump.1.gz"
install -D -m 0644 packaging/hvdump.bash-completion "$p/usr/share/bash-completion/completions/hvdump"
install -D -m 0644 packaging/hvdump-save.service "$p/usr/lib/systemd/system/hvdump-save.service"
install -D -m 0644 packaging/hvdump.lintian-overrides "$p/usr/share/lintian/overrides/hvdump"
doc_files hvdump "$p"
gzip -9n < README.md > "$p/usr/share/doc/hvdump/README.md.gz"
chmod 0644 "$p"/usr/share/man/man1/hvdump.1.gz "$p/usr/share/doc/hvdump/README.md.gz"

# Depends from what the binary loads (its NEEDED entries: libc, libm, the loader; the codecs are
# linked in), as dpkg-shlibdeps maps them to the packages and versions that provide the symbols.
# (dpkg-shlibdeps finds the package's root by its DEBIAN directory.)
mkdir -p "$p/DEBIAN"
printf 'Source: hvdump\n\nPackage: hvdump\nArchitecture: amd64\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O debian/hvdump/usr/bin/hvdump | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

installed_size() { du -sk --apparent-size --exclude=DEBIAN "$1" | cut -f1; }
cat > "$p/DEBIAN/control" <<EOF
Package: hvdump
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: $(installed_size "$p")
Depends: $depends
Suggests: crash, kdump-tools, hvdump-makedumpfile
Section: utils
Priority: optional
Description: Linux crash dump toolkit: read, convert, filter, verify, save
 hvdump reads vmcores in every format the kdump world uses (the ELF
 /proc/vmcore, makedumpfile's kdump-compressed and flattened files, raw
 memory images) and converts any of them into any other, for crash, gdb,
 drgn, libkdumpfile and makedumpfile itself. It filters pages by
 makedumpfile's dump levels from the dump alone (no vmlinux), prints the
 kernel log, verifies every page against a golden manifest, compares dumps
 and encrypts them with age.
 .
 It is built for the userspace side of hypervisor- and firmware-assisted
 dump (POWER's phyp dump and FADump): "hvdump save" copies the dump away
 and gives the reserved memory back region by region as the pages become
 durable; the hvdump-save.service unit (installed, not enabled) runs it at
 boot. The executable is one NativeAOT binary with its codecs linked in, so
 it also runs in a bare capture initramfs.
EOF

# ---- hvdump-makedumpfile --------------------------------------------------------------------------
m=$work/debian/hvdump-makedumpfile
install -d "$m/usr/bin" "$m/DEBIAN"
ln -s hvdump "$m/usr/bin/makedumpfile"
# man makedumpfile shows hvdump(1), whose makedumpfile section documents what this link answers to.
install -d "$m/usr/share/man/man8"
ln -s ../man1/hvdump.1.gz "$m/usr/share/man/man8/makedumpfile.8.gz"
doc_files hvdump-makedumpfile "$m"
install -m 0755 packaging/hvdump-makedumpfile.preinst "$m/DEBIAN/preinst"
install -m 0755 packaging/hvdump-makedumpfile.postrm "$m/DEBIAN/postrm"
# No Depends on makedumpfile: hvdump replaces it. The diversion holds with or without Debian's
# package (see preinst), and removing this package gives the path back to whichever is there.
cat > "$m/DEBIAN/control" <<EOF
Package: hvdump-makedumpfile
Source: hvdump
Version: $version
Architecture: all
Maintainer: $maintainer
Installed-Size: $(installed_size "$m")
Depends: hvdump (= $version)
Enhances: kdump-tools
Section: utils
Priority: optional
Description: hvdump as the system's makedumpfile (kdump-tools drop-in)
 Installs /usr/bin/makedumpfile as a link to hvdump, which answers to
 makedumpfile's command line when invoked by that name, so that
 kdump-tools' "kdump-config savecore" (and any other script calling
 makedumpfile) saves the dump with hvdump: its -c, -l, -p and -z codecs,
 dump levels, -F, -R, -E, --dump-dmesg, --split and --reassemble.
 .
 Debian's makedumpfile, when installed, is diverted to
 /usr/bin/makedumpfile.distrib with dpkg-divert; removing this package
 restores it.
EOF

# md5sums, for debsums and dpkg --verify: every regular file, paths relative to the root.
for d in "$p" "$m"; do
  (cd "$d" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$d/DEBIAN/md5sums"
  chmod 0644 "$d/DEBIAN/md5sums"
done
# Reproducible file times; dpkg-deb takes the tar member times from the files.
find "$work/debian" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p artifacts
rm -f artifacts/hvdump_*.deb artifacts/hvdump-makedumpfile_*.deb
dpkg-deb --root-owner-group -Zxz --build "$p" "artifacts/hvdump_${version}_amd64.deb" >/dev/null
dpkg-deb --root-owner-group -Zxz --build "$m" "artifacts/hvdump-makedumpfile_${version}_all.deb" >/dev/null
echo "$root/artifacts/hvdump_${version}_amd64.deb"
echo "$root/artifacts/hvdump-makedumpfile_${version}_all.deb"
