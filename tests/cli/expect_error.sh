#!/usr/bin/env bash
# expect_error.sh HVSIM REGEX [ARGS...]: runs HVSIM ARGS in a scratch
# directory and passes when it exits with status 2 and prints exactly one
# line on stderr, "hvsim: error: ...", matching REGEX. Files the arguments
# name are created by the caller's SETUP variable (a shell snippet run in
# the scratch directory first).
set -u
bin=$1 regex=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
[ -n "${SETUP:-}" ] && eval "$SETUP"
"$bin" "$@" </dev/null >out 2>err
rc=$?
lines=$(wc -l <err)
if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || ! grep -Eq "^hvsim: error: .*($regex)" err; then
  echo "expected exit 2 and one line matching '$regex'; got exit $rc, stderr:" >&2
  cat err >&2
  exit 1
fi
cat err
