#!/usr/bin/env bash
# Records the captures `tests/capture.rs` imports, from this machine's real Linux kernel: two
# network namespaces joined by a veth pair, a Node.js server listening on every address on
# 8099 (scripts/kernel-capture/server.js), and a client (client.js) that makes, over IPv4 and
# over IPv6, a request that it closes first, a connection it holds, and a connection to a port
# where nothing listens. dumpcap records the server's side three ways:
#   kernel.pcapng      the veth interface (Ethernet), pcapng, IPv4 and IPv6;
#   kernel-sll.pcap    every interface (Linux cooked capture v1), classic pcap;
#   kernel-sll2.pcapng every interface (Linux cooked capture v2), pcapng.
# kernel-ss.txt holds `ss -tan` in both namespaces at three moments, each after a line
# `@ <name> <microseconds since 1970>` taken just before it (the captures' own clock).
#
# Needs: Linux, root (network namespaces), ip, node, dumpcap, ss.
# Usage: sudo bash scripts/kernel-capture.sh [output directory, default tests/data/captures]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$here/scripts/kernel-capture"
out="${1:-$here/tests/data/captures}"
fail() { echo "kernel-capture: $*" >&2; exit 1; }
[ "$(uname -s)" = Linux ] || fail "this needs Linux"
[ "$(id -u)" = 0 ] || fail "this needs root, to make network namespaces: sudo bash $0"
for tool in ip node dumpcap ss; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install iproute2 nodejs tshark)"
done
mkdir -p "$out"
work="$(mktemp -d)"
client=slc-$$
server=sls-$$
# Every process left in a namespace (dumpcap, node), stopped and waited for.
stop_all() {
  for ns in "$client" "$server"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  for _ in $(seq 50); do
    [ -z "$(ip netns pids "$client" 2>/dev/null; ip netns pids "$server" 2>/dev/null)" ] && return
    sleep 0.1
  done
}
cleanup() {
  stop_all
  ip netns del "$client" 2>/dev/null || true
  ip netns del "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$client"
ip netns add "$server"
ip link add c$$ type veth peer name s$$
ip link set c$$ netns "$client"
ip link set s$$ netns "$server"
ip -n "$client" addr add 192.168.1.101/24 dev c$$
ip -n "$server" addr add 192.168.1.102/24 dev s$$
ip -n "$client" addr add fd00::101/64 dev c$$ nodad
ip -n "$server" addr add fd00::102/64 dev s$$ nodad
for ns in "$client" "$server"; do ip -n "$ns" link set lo up; done
ip -n "$client" link set c$$ up
ip -n "$server" link set s$$ up
in_client() { ip netns exec "$client" "$@"; }
in_server() { ip netns exec "$server" "$@"; }
moment() {
  echo "@ $1 $(date +%s%6N)"
  echo "# client"; in_client ss -tan | sed 's/  *$//'
  echo "# server"; in_server ss -tan | sed 's/  *$//'
}

in_server dumpcap -q -i s$$ -f tcp -w "$work/kernel.pcapng" </dev/null >/dev/null 2>&1 &
in_server dumpcap -q -i any -y LINUX_SLL -P -f tcp -w "$work/kernel-sll.pcap" </dev/null >/dev/null 2>&1 &
in_server dumpcap -q -i any -y LINUX_SLL2 -f tcp -w "$work/kernel-sll2.pcapng" </dev/null >/dev/null 2>&1 &
sleep 1.5
in_server node "$dir/server.js" </dev/null >/dev/null 2>&1 &
sleep 0.5
{
  moment listening
  in_client node "$dir/client.js" request 192.168.1.102 192.168.1.101 10378 >/dev/null
  in_client node "$dir/client.js" request fd00::102 fd00::101 10388 >/dev/null
  HOLD_MS=800 in_client node "$dir/client.js" held 192.168.1.102 192.168.1.101 10379 >/dev/null &
  held4=$!
  HOLD_MS=800 in_client node "$dir/client.js" held fd00::102 fd00::101 10389 >/dev/null &
  held6=$!
  sleep 0.4
  moment connected
  wait "$held4" "$held6"
  in_client node "$dir/client.js" refused 192.168.1.102 192.168.1.101 >/dev/null
  in_client node "$dir/client.js" refused fd00::102 fd00::101 >/dev/null
  sleep 0.3
  moment closed
} > "$work/kernel-ss.txt"
sleep 0.5
stop_all
cp "$work"/kernel.pcapng "$work"/kernel-sll.pcap "$work"/kernel-sll2.pcapng "$work"/kernel-ss.txt "$out/"
echo "kernel-capture: wrote $(ls "$out" | tr '\n' ' ')in $out ($(uname -r))"
