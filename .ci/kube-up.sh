# kube-up.sh — sourced, not run: starts etcd and kube-apiserver on 127.0.0.1 (free ports, a temp
# data dir, a static admin token), exports KUBECONFIG for them, and stops both when the sourcing
# shell exits. No controller manager and no scheduler: objects are stored, nothing runs — enough
# for kubectl apply, diff and prune. Binaries from ${KUBE_PREFIX:-/opt/kube}/bin
# (../shared/tools/install-apiserver.sh puts them there).
# After sourcing: $KUBE_DIR (temp folder, removed on exit) and `kube_down`.

KUBE_PREFIX=${KUBE_PREFIX:-/opt/kube}
KUBE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/platc-kube.XXXXXX")
KUBE_PIDS=()
export PATH="$KUBE_PREFIX/bin:$PATH"

kube_down() { # safe under `set -e`: a process that is already gone is not an error
  local pid
  for pid in "${KUBE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${KUBE_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  KUBE_PIDS=()
  rm -rf "$KUBE_DIR"
}
trap kube_down EXIT

kube_fail() { echo "kube-up: $*" >&2; tail -20 "$KUBE_DIR"/*.log >&2 2>/dev/null; exit 2; }

for tool in etcd kube-apiserver kubectl openssl python3 curl; do
  command -v "$tool" >/dev/null || kube_fail "$tool not found (run ../shared/tools/install-apiserver.sh)"
done

read -r kube_etcd_port kube_peer_port kube_api_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])
for s in ss: s.close()')

etcd --name platc --data-dir "$KUBE_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$kube_etcd_port" --advertise-client-urls "http://127.0.0.1:$kube_etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$kube_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$kube_peer_port" \
  --initial-cluster "platc=http://127.0.0.1:$kube_peer_port" --unsafe-no-fsync --log-level warn \
  >"$KUBE_DIR/etcd.log" 2>&1 &
KUBE_PIDS+=($!)
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$kube_etcd_port/health" 2>/dev/null | grep -q '"health":"true"' && break
  kill -0 "${KUBE_PIDS[0]}" 2>/dev/null || kube_fail "etcd exited"
  sleep 0.3
done

openssl genrsa -out "$KUBE_DIR/sa.key" 2048 2>/dev/null && openssl rsa -in "$KUBE_DIR/sa.key" -pubout -out "$KUBE_DIR/sa.pub" 2>/dev/null \
  || kube_fail "openssl could not make the service-account key pair"
kube_token=$(openssl rand -hex 24)
echo "$kube_token,platc-admin,platc-admin,\"system:masters\"" >"$KUBE_DIR/tokens.csv"
kube-apiserver \
  --etcd-servers="http://127.0.0.1:$kube_etcd_port" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$kube_api_port" \
  --cert-dir="$KUBE_DIR/pki" --token-auth-file="$KUBE_DIR/tokens.csv" \
  --authorization-mode=RBAC --anonymous-auth=false \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$KUBE_DIR/sa.pub" --service-account-signing-key-file="$KUBE_DIR/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --enable-admission-plugins=PodSecurity \
  --endpoint-reconciler-type=none --profiling=false \
  >"$KUBE_DIR/kube-apiserver.log" 2>&1 &
KUBE_PIDS+=($!)

cat >"$KUBE_DIR/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: platc
  cluster: {server: "https://127.0.0.1:$kube_api_port", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$kube_token"}
contexts:
- name: platc
  context: {cluster: platc, user: admin, namespace: default}
current-context: platc
EOF
export KUBECONFIG="$KUBE_DIR/kubeconfig"
kube_deadline=$(($(date +%s) + ${APISERVER_START_TIMEOUT:-180}))
until [ "$(kubectl get --raw=/readyz 2>/dev/null)" = ok ] && kubectl get namespace default >/dev/null 2>&1; do
  kill -0 "${KUBE_PIDS[1]}" 2>/dev/null || kube_fail "kube-apiserver exited"
  [ "$(date +%s)" -lt "$kube_deadline" ] || kube_fail "kube-apiserver did not become ready"
  sleep 1
done
echo "kube-up: $(kube-apiserver --version) on https://127.0.0.1:$kube_api_port"
