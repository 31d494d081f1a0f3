#!/usr/bin/env bash
# Runs one hvsim firmware test program (firmware/tests/<name>.c).
#
#   run_fw.sh hvsim BIN ELF EL [EXPECTED_EXIT]  run on hvsim (BIN), check result
#   run_fw.sh diff  BIN ELF EL [EXPECTED_EXIT]  run on hvsim and QEMU, check
#                                               both and compare transcripts
#   run_fw.sh qemu  ELF EL [EXPECTED_EXIT]      run on QEMU only, check result
#
# EL is the EL the program is entered at (3, 2 or 1). A run passes when the
# last line of the guest's UART output is "PASS" and the exit code (the
# guest's semihosting exit code) is EXPECTED_EXIT (default 0).
# Environment: QEMU (default qemu-system-aarch64), FW_QEMU_CPU (QEMU -cpu,
# default cortex-a57), FW_TIMEOUT (seconds,
# default 60), FW_SMP (number of cores, default 1), FW_HVSIM_OPTS (more
# hvsim options, split at spaces, e.g. "--set gic.version=4"), FW_QEMU_GIC
# (QEMU's virt gic-version, default 3).
set -u

TIMEOUT=${FW_TIMEOUT:-60}
QEMU=${QEMU:-qemu-system-aarch64}
SMP=${FW_SMP:-1}

usage() {
  sed -n '4,8p' "$0" >&2
  exit 2
}

mode=${1:-}
case $mode in
  hvsim | diff)
    [ $# -ge 4 ] && [ $# -le 5 ] || usage
    BIN=$2 ELF=$3 EL=$4 EXPECTED=${5:-0}
    ;;
  qemu)
    [ $# -ge 3 ] && [ $# -le 4 ] || usage
    BIN= ELF=$2 EL=$3 EXPECTED=${4:-0}
    ;;
  *) usage ;;
esac

GIC=${FW_QEMU_GIC:-3}
case $EL in
  3) MACHINE=virt,gic-version=$GIC,secure=on,virtualization=on ;;
  2) MACHINE=virt,gic-version=$GIC,virtualization=on ;;
  1) MACHINE=virt,gic-version=$GIC ;;
  *) echo "run_fw.sh: EL must be 3, 2 or 1, not '$EL'" >&2; exit 2 ;;
esac
[ -f "$ELF" ] || { echo "run_fw.sh: no such file: $ELF" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# run_hvsim OUT: stdout (UART) to OUT, stderr to OUT.err; returns the exit code.
run_hvsim() {
  # shellcheck disable=SC2086
  timeout -k 5 "$TIMEOUT" "$BIN" --kernel "$ELF" --el "$EL" --smp "$SMP" ${FW_HVSIM_OPTS:-} \
    </dev/null >"$1" 2>"$1.err"
}

run_qemu() {
  timeout -k 5 "$TIMEOUT" "$QEMU" -M "$MACHINE" -cpu "${FW_QEMU_CPU:-cortex-a57}" -m 1024 -smp "$SMP" \
    -display none -monitor none -serial stdio \
    -semihosting-config enable=on,target=native -kernel "$ELF" \
    </dev/null >"$1" 2>"$1.err"
}

# check LABEL OUT RC: prints the transcript, returns 0 when the run passed.
check() {
  local label=$1 out=$2 rc=$3 last ok=0
  tr -d '\r' <"$out" >"$out.clean"
  echo "---- $label transcript ($(basename "$ELF"), EL$EL) ----"
  cat "$out.clean"
  if [ -s "$out.err" ]; then
    echo "---- $label stderr ----"
    cat "$out.err"
  fi
  last=$(tail -n 1 "$out.clean")
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "$label: timed out after ${TIMEOUT}s (exit code $rc)"
    ok=1
  elif [ "$rc" -ne "$EXPECTED" ]; then
    echo "$label: exit code $rc, expected $EXPECTED"
    ok=1
  fi
  if [ "$last" != PASS ]; then
    echo "$label: last UART line is '$last', not 'PASS'"
    ok=1
  fi
  [ $ok -eq 0 ] && echo "$label: ok (exit code $rc)"
  return $ok
}

case $mode in
  hvsim)
    run_hvsim "$WORK/hvsim.out"
    check hvsim "$WORK/hvsim.out" $?
    exit $?
    ;;
  qemu)
    run_qemu "$WORK/qemu.out"
    check qemu "$WORK/qemu.out" $?
    exit $?
    ;;
  diff)
    run_hvsim "$WORK/hvsim.out"
    hrc=$?
    run_qemu "$WORK/qemu.out"
    qrc=$?
    status=0
    check hvsim "$WORK/hvsim.out" $hrc || status=1
    check qemu "$WORK/qemu.out" $qrc || status=1
    if ! diff -u --label qemu --label hvsim "$WORK/qemu.out.clean" \
        "$WORK/hvsim.out.clean" >"$WORK/diff"; then
      echo "---- transcripts differ (- qemu, + hvsim) ----"
      cat "$WORK/diff"
      status=1
    elif [ $hrc -ne $qrc ]; then
      echo "exit codes differ: hvsim $hrc, qemu $qrc"
      status=1
    else
      echo "transcripts match"
    fi
    exit $status
    ;;
esac
