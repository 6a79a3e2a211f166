#!/usr/bin/env bash
# operator-steps.sh PLATC — the README's kubectl commands, run as written against a real
# kube-apiserver on 127.0.0.1 (.ci/kube-up.sh), so the README cannot teach a command that fails.
#
# The README marks each block this script runs with the comment `<!-- .ci/operator-steps.sh
# runs this block ... -->`; the blocks are read from the README itself (continuation lines
# joined), `platc` is PLATC, and `platform.toml` is a copy of specs/examples/quizmentor.toml.
#   1. "your own CI": the namespace for real, a server-side dry run with warnings as errors, a diff.
#   2. client-side apply pruned by the instance label: apply; the diff is empty; remove the
#      `analytics` service from the spec, rebuild; the diff shows the change; apply; every object
#      of `analytics` is gone and the diff is empty again.
#   3. the same with a server-side apply and an ApplySet, on a fresh API server.
#   4. "`platc build spec.toml | kubectl apply -f -` works on an empty cluster", on a fresh one.
set -euo pipefail
PLATC=$(realpath "${1:?usage: operator-steps.sh PATH/TO/platc}")
cd "$(dirname "$0")/.."
ROOT=$PWD

# The commands of the README's Nth marked block, one a line.
readme_block() {
  python3 - "$ROOT/README.md" "$1" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
marker = "<!-- .ci/operator-steps.sh runs this block"
blocks = text.split(marker)[1:]
if len(blocks) < int(sys.argv[2]):
    sys.exit(f"the README has {len(blocks)} blocks marked for .ci/operator-steps.sh, expected {sys.argv[2]}")
body = blocks[int(sys.argv[2]) - 1].split("```sh\n", 1)[1].split("```", 1)[0]
for line in re.sub(r"\\\n\s*", " ", body).splitlines():
    if line.strip():
        print(line)
EOF
}

platc() { "$PLATC" "$@"; }
# The one command of a block that starts with PREFIX (a README line is run as written).
command_of() { # BLOCK_LINES PREFIX
  local found
  found=$(awk -v prefix="$2" 'index($0, prefix) == 1' <<<"$1")
  [ -n "$found" ] && [ "$(wc -l <<<"$found")" = 1 ] \
    || { echo "FAIL: expected one README command starting with '$2' in: $1" >&2; exit 1; }
  echo "$found"
}
run() { # EXPECTED_EXIT COMMAND_LINE — runs the README line, checks its exit code
  local expected=$1 line=$2 rc=0
  echo "\$ ${line:0:150}$([ ${#line} -gt 150 ] && echo ' …')"
  eval "$line" >"$work/out.log" 2>&1 || rc=$?
  sed 's/^/    /' "$work/out.log" | tail -15
  [ "$rc" = "$expected" ] || { echo "FAIL: exit $rc, expected $expected"; exit 1; }
}
remove_analytics() { # the service and every mention of it
  python3 - <<'EOF'
import re
text = open("platform.toml").read()
tables = re.split(r"(?m)^(?=\[)", text)
text = "".join(t for t in tables if not t.startswith("[services.analytics]"))
text = text.replace('"analytics", ', "").replace(', "analytics"', "")
assert "analytics" not in text, "the service is gone from the spec"
open("platform.toml", "w").write(text)
EOF
}
analytics_objects() { # how many objects of the removed service are left
  kubectl get deployment,service,serviceaccount,horizontalpodautoscaler,poddisruptionbudget,networkpolicy \
    -n quizmentor-prod -o name | grep -c '/analytics$' || true
}
fresh_work_dir() {
  work="$KUBE_DIR/work"
  mkdir -p "$work"
  cp "$ROOT/specs/examples/quizmentor.toml" "$work/platform.toml"
  cd "$work"
}

ci_block=$(readme_block 1)
client_block=$(readme_block 2)
applyset_block=$(readme_block 3)
build=$(command_of "$client_block" "platc build")

echo "=== 1. the README's check for your own CI"
source "$ROOT/.ci/kube-up.sh"
fresh_work_dir
run 0 "$(command_of "$ci_block" "platc build")"
run 0 "$(command_of "$ci_block" "kubectl apply -f")"
run 0 "$(command_of "$ci_block" "kubectl apply --dry-run=server")"
run 1 "$(command_of "$ci_block" "kubectl diff")" # nothing applied yet but the namespace

echo "=== 2. client-side apply, pruned by the instance label"
apply=$(command_of "$client_block" "kubectl apply")
diff=$(command_of "$client_block" "kubectl diff")
run 0 "$build"
run 0 "$apply"
[ "$(analytics_objects)" = 6 ] || { echo "FAIL: the analytics service's 6 objects were not applied"; exit 1; }
run 0 "$diff"
remove_analytics
run 0 "$build"
run 1 "$diff"
run 0 "$apply"
grep -q 'deployment.apps/analytics pruned' "$work/out.log" || { echo "FAIL: the apply pruned nothing"; exit 1; }
[ "$(analytics_objects)" = 0 ] || { echo "FAIL: objects of the removed service are left"; exit 1; }
run 0 "$diff"
echo "ok   applied, no diff, removed service pruned (6 objects), no diff"
cd "$ROOT"
kube_down

echo "=== 3. server-side apply with an ApplySet"
source "$ROOT/.ci/kube-up.sh"
fresh_work_dir
run 0 "$build"
run 0 "$(command_of "$applyset_block" "kubectl apply --server-side -f")"
applyset=$(command_of "$applyset_block" "KUBECTL_APPLYSET=true")
run 0 "$applyset"
[ "$(analytics_objects)" = 6 ] || { echo "FAIL: the analytics service's 6 objects were not applied"; exit 1; }
remove_analytics
run 0 "$build"
run 0 "$applyset"
grep -q 'deployment.apps/analytics pruned' "$work/out.log" || { echo "FAIL: the apply pruned nothing"; exit 1; }
[ "$(analytics_objects)" = 0 ] || { echo "FAIL: objects of the removed service are left"; exit 1; }
echo "ok   applied with an ApplySet, removed service pruned (6 objects)"
cd "$ROOT"
kube_down

echo "=== 4. the stdout stream applies to an empty cluster"
stream='platc build platform.toml | kubectl apply -f -'
grep -qF "\`${stream/platform.toml/spec.toml}\`" "$ROOT/README.md" \
  || { echo "FAIL: the README no longer shows \`${stream/platform.toml/spec.toml}\`"; exit 1; }
source "$ROOT/.ci/kube-up.sh"
fresh_work_dir
run 0 "$stream"
kubectl get namespace quizmentor-prod quizmentor-staging >/dev/null
[ "$(analytics_objects)" = 6 ] || { echo "FAIL: the stream did not create the analytics service's objects"; exit 1; }
echo "ok   the stream created both environments' namespaces and objects"
cd "$ROOT"
