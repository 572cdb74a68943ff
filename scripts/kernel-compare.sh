#!/usr/bin/env bash
# Runs the course's Node.js scene on this machine's real Linux kernel and in Socket Lab's
# engine, and prints both side by side: every segment (direction, flags, length, window, TCP
# options) with each difference marked, and the `ss` tables when the server listens, while a
# connection is up, and after the connections have closed.
#
# The kernel side: two network namespaces joined by a veth pair, the server at
# 192.168.1.102 running Node.js on 8099 (scripts/kernel-compare/server.js), the client at
# 192.168.1.101 (scripts/kernel-compare/client.js): a request from port 10378, a connection
# held from 10379, and a connection to 8080 where nothing listens. Both sides send the
# engine's own request and reply bytes, so only the TCP behaviour can differ.
# The engine side: the same scene, scripts/kernel-compare/scene.toml, run by socketlab-cli.
#
# Needs: Linux, root (network namespaces), ip, node, dumpcap and tshark, python3, cargo.
# Usage: sudo bash scripts/kernel-compare.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$here/scripts/kernel-compare"
export PATH="$HOME/.cargo/bin:$PATH"

fail() { echo "kernel-compare: $*" >&2; exit 1; }
[ "$(uname -s)" = Linux ] || fail "this needs Linux (it runs the scene on the kernel)"
[ "$(id -u)" = 0 ] || fail "this needs root, to make network namespaces: sudo bash $0"
for tool in ip node dumpcap tshark python3 cargo ss; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install iproute2 nodejs tshark python3)"
done

work="$(mktemp -d)"
client=sl-client-$$
server=sl-server-$$
cleanup() {
  [ -n "${capture:-}" ] && kill "$capture" 2>/dev/null || true
  [ -n "${node_server:-}" ] && kill "$node_server" 2>/dev/null || true
  ip netns del "$client" 2>/dev/null || true
  ip netns del "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the engine ----------------------------------------------------------------------------
(cd "$here" && cargo build --quiet --release --bin socketlab-cli)
cli="$here/target/release/socketlab-cli"
"$cli" run "$dir/scene.toml" --pcap "$work/engine.pcap" >/dev/null
engine_tables() { "$cli" run "$dir/scene.toml" --until "$1" | sed -n '/^Client PC (/,$p'; }
payload() { # the first payload on the given TCP source port, as hex
  tshark -r "$work/engine.pcap" -Y "tcp.srcport == $1 && tcp.len > 0" -T fields -e tcp.payload 2>/dev/null | head -1 | tr -d ':'
}
export REQUEST_HEX REPLY_HEX REPLY_LEN HOLD_MS=500
REQUEST_HEX="$(payload 10378)"
REPLY_HEX="$(payload 8099)"
REPLY_LEN=$(( ${#REPLY_HEX} / 2 ))

# ---- the kernel ----------------------------------------------------------------------------
ip netns add "$client"
ip netns add "$server"
ip link add slc$$ type veth peer name sls$$
ip link set slc$$ netns "$client"
ip link set sls$$ netns "$server"
ip -n "$client" addr add 192.168.1.101/24 dev slc$$
ip -n "$server" addr add 192.168.1.102/24 dev sls$$
for ns in "$client" "$server"; do ip -n "$ns" link set lo up; done
ip -n "$client" link set slc$$ up
ip -n "$server" link set sls$$ up
in_client() { ip netns exec "$client" "$@"; }
in_server() { ip netns exec "$server" "$@"; }
kernel_tables() {
  echo "Client PC (192.168.1.101)"; in_client ss -tanp | sed 's/  *$//'
  echo; echo "Server (192.168.1.102)"; in_server ss -tanp | sed 's/  *$//'
}

in_server dumpcap -q -i sls$$ -f tcp -w "$work/kernel.pcapng" >/dev/null 2>&1 &
capture=$!
sleep 1
in_server node "$dir/server.js" >/dev/null &
node_server=$!
sleep 0.5
listening="$(kernel_tables)"
in_client node "$dir/client.js" request >/dev/null
in_client node "$dir/client.js" held >/dev/null &
held=$!
sleep 0.25
connected="$(kernel_tables)"
wait "$held"
in_client node "$dir/client.js" refused >/dev/null
sleep 0.3
closed="$(kernel_tables)"
sleep 0.5
kill "$capture"; wait "$capture" 2>/dev/null || true
capture=""

# ---- side by side --------------------------------------------------------------------------
echo "Socket Lab against Linux $(uname -r): the course's Node.js scene"
python3 "$dir/compare.py" "$work/kernel.pcapng" "$work/engine.pcap"
for moment in "listening:50:the server listens" "connected:1200:a connection is up (from 10379)" "closed:2500:the connections have closed"; do
  IFS=: read -r name at words <<<"$moment"
  echo
  echo "== ss -tan when $words"
  echo "-- Linux kernel"
  echo "${!name}"
  echo "-- Socket Lab engine (at ${at} ms)"
  engine_tables "$at"
done
