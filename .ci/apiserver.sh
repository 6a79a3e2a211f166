#!/usr/bin/env bash
# apiserver.sh PLATC — the real Kubernetes API server judges platc's Kubernetes output.
#
# Builds, with PLATC, every shared example, every ../shared/spec/next/*.toml that `PLATC check`
# accepts, and every spec under specs/; gathers their kubernetes/ trees under one folder and runs
# ../shared/tools/apiserver-check.sh over it once (a real kube-apiserver and etcd on loopback, the
# CRDs of ../shared/schemas/crds installed first, every object applied with
# `--server-side --dry-run=server --validate=strict`). A rejection or a warning (Pod Security
# `restricted` included) fails. Then proves the check can fail: the deliberately broken objects in
# .ci/apiserver-broken/ must each be reported.
# Needs ../shared/tools/install-apiserver.sh to have run (it caches the binaries in /opt/kube).
set -euo pipefail
shopt -s nullglob
PLATC=$(realpath "${1:?usage: apiserver.sh PATH/TO/platc}")
cd "$(dirname "$0")/.."
SHARED=$(cd ../shared && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

specs=("$SHARED"/spec/examples/*.toml specs/*.toml)
for spec in "$SHARED"/spec/next/*.toml; do
  if "$PLATC" check "$spec" >/dev/null 2>&1; then specs+=("$spec"); else echo "not checked (does not compile yet): $spec"; fi
done
for spec in "${specs[@]}"; do
  case=$(basename "$(dirname "$spec")")-$(basename "$spec" .toml)
  "$PLATC" build "$spec" -o "$work/build/$case" >/dev/null
  if [ -d "$work/build/$case/kubernetes" ]; then
    mkdir -p "$work/all/$case" && cp -r "$work/build/$case/kubernetes" "$work/all/$case/"
  fi
done

echo "--- platc output: $(find "$work/all" -name '*.yaml' | wc -l) files from ${#specs[@]} specs"
bash "$SHARED/tools/apiserver-check.sh" "$work/all" | tee "$work/check.log"

echo "--- the check can fail: deliberately broken objects"
set +e
bash "$SHARED/tools/apiserver-check.sh" .ci/apiserver-broken >"$work/broken.log" 2>&1
rc=$?
set -e
sed 's/^/    /' "$work/broken.log"
[ "$rc" = 1 ] || { echo "FAIL: apiserver-check.sh exited $rc on the broken objects, expected 1"; exit 1; }
expect() { # FILE PATTERN: the check reported FILE as failed with PATTERN in its message
  grep -E "^(FAIL|WARN) \.ci/apiserver-broken/$1: .*$2" "$work/broken.log" >/dev/null \
    || { echo "FAIL: no rejection of $1 matching /$2/"; exit 1; }
  echo "ok   rejected as expected: $1"
}
expect bad-quantity.yaml 'quantities must match'
expect privileged.yaml 'would violate PodSecurity "restricted'
expect bad-label.yaml 'metadata.labels'
grep -E '^ok \.ci/apiserver-broken/good\.yaml' "$work/broken.log" >/dev/null \
  || { echo "FAIL: the valid control object was not accepted"; exit 1; }
echo "ok   the valid control object was accepted"

echo "--- the README's kubectl commands against a real API server"
bash .ci/operator-steps.sh "$PLATC"
