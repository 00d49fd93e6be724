#!/usr/bin/env bash
# Compares libferry's ABI with the baseline of the current release.
#   abi/check.sh LIB            fails on an incompatible change under the same SONAME
#   abi/check.sh LIB --update   rewrites the baseline from LIB (at a release)
# LIB must carry DWARF (RelWithDebInfo or Debug). Rules: docs/abi.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lib="$1"
headers="$here/../include/ferry"
baseline="$here/libferry.abi"

dump() {
  abidw --headers-dir "$headers" --drop-private-types --drop-undefined-syms --no-corpus-path \
        --no-show-locs --no-comp-dir-path --type-id-style hash --out-file "$2" "$1"
}

if [ "${2:-}" = "--update" ]; then
  dump "$lib" "$baseline"
  echo "abi: baseline rewritten from $lib"
  exit 0
fi

current="$(mktemp)"
trap 'rm -f "$current"' EXIT
dump "$lib" "$current"

soname_of() { sed -n "s/.*<abi-corpus [^>]*soname='\([^']*\)'.*/\1/p" "$1" | head -1; }
old_soname="$(soname_of "$baseline")"
new_soname="$(soname_of "$current")"

set +e
report="$(abidiff --no-unreferenced-symbols --suppressions "$here/growable.abignore" "$baseline" "$current")"
rc=$?
[ -z "$report" ] || echo "$report"
set -e

# abidiff's exit status is a bit set: 1 tool error, 2 usage error,
# 4 the ABI changed, 8 a symbol went away. abidiff counts a moved or resized
# member as a mere change (4); for callers compiled against the old header
# it breaks as surely, so only pure additions pass.
if (( rc & 3 )); then
  echo "abi: abidiff failed (status $rc)" >&2
  exit 1
fi
only_added() {
  grep -E '^(Functions|Variables) changes summary' <<<"$report" |
    grep -qvE ' 0 Removed(, 0 Removed symbol| \([0-9]+ filtered out\))*, 0 Changed' && return 1
  return 0
}
# libabigail lets members swap places inside a growable struct; so every
# member of a public struct in the baseline must keep its offset and type.
members() {
  awk -F"'" '/<class-decl name=/ { s = $2 ~ /^ferry_/ ? $2 : "" }
             /<data-member / { for (i = 1; i < NF; i++) if ($i ~ /layout-offset-in-bits=$/) off = $(i + 1) }
             /<var-decl name=/ && s != "" { print s "." $2 " @" off " " $4 }' "$1" | sort -u
}
moved="$(comm -23 <(members "$baseline") <(members "$current"))"
if [ -n "$moved" ]; then
  echo "abi: struct members moved or changed type:" >&2
  echo "$moved" >&2
  rc=$(( rc | 8 ))
fi
if (( rc & 8 )) || { (( rc & 4 )) && ! only_added; }; then
  if [ "$old_soname" = "$new_soname" ]; then
    echo "abi: incompatible change under the same SONAME $new_soname;" \
         "restore compatibility or bump FERRY_VERSION_MAJOR (docs/abi.md)" >&2
    exit 1
  fi
  echo "abi: incompatible change with a new SONAME ($old_soname -> $new_soname):" \
       "allowed; run abi/check.sh LIB --update to make it the baseline"
  exit 0
fi
if (( rc & 4 )); then
  echo "abi: compatible additions since the baseline (update it at the next release)"
fi
echo "abi: compatible with the $old_soname baseline"
