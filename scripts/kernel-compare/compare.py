#!/usr/bin/env python3
"""Side by side: the segments a real Linux kernel sent (a capture) and those Socket Lab's
engine sent for the same scene (its pcap), per connection, aligned on direction and flags.
Each row shows direction, flags, payload length, window (in bytes, scaled) and TCP options;
a row whose two sides differ is marked with "≠" and names what differs (window, window scale,
another option), a segment only one side sent with "+"; the last line counts each.

Usage: compare.py KERNEL_PCAP ENGINE_PCAP
"""
import subprocess
import sys

FIELDS = [
    "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack",
    "tcp.flags.fin", "tcp.flags.reset", "tcp.flags.push", "tcp.len", "tcp.window_size_value",
    "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.option_kind",
]
SERVER_PORTS = {8099, 8080}
NAMES = {10378: "curl from 10378: request, reply, close", 10379: "a client from 10379 holds the connection, then closes"}


def segments(path):
    out = subprocess.run(
        ["tshark", "-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a"]
        + sum((["-e", f] for f in FIELDS), []),
        check=True, capture_output=True, text=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        sport, dport = int(v["tcp.srcport"]), int(v["tcp.dstport"])
        flags = [n for n, f in [("SYN", "syn"), ("FIN", "fin"), ("RST", "reset"), ("PSH", "push"), ("ACK", "ack")]
                 if v[f"tcp.flags.{f}"] in ("1", "True")]
        kinds = {int(k) for k in v["tcp.option_kind"].split(",") if k}
        options = []
        if v["tcp.options.mss_val"]:
            options.append(f"MSS={v['tcp.options.mss_val']}")
        if 4 in kinds:
            options.append("SACK_PERM")
        if 8 in kinds:
            options.append("TS")
        if v["tcp.options.wscale.shift"]:
            options.append(f"WS={2 ** int(v['tcp.options.wscale.shift'])}")
        client = dport not in SERVER_PORTS
        rows.append({
            "conn": dport if client else sport,
            "dport": sport if client else dport,
            "dir": "S→C" if client else "C→S",
            "flags": ",".join(flags),
            "len": int(v["tcp.len"] or 0),
            "raw_win": int(v["tcp.window_size_value"] or 0),
            "shift": int(v["tcp.options.wscale.shift"]) if v["tcp.options.wscale.shift"] else None,
            "options": " ".join(options),
        })
    # Windows in bytes: after the handshake each side's field is scaled by the shift it offered
    # in its SYN, if both offered one.
    shifts = {}
    for r in rows:
        if "SYN" in r["flags"]:
            shifts[(r["conn"], r["dir"])] = r["shift"]
    by_conn = {}
    for r in rows:
        both = all(shifts.get((r["conn"], d)) is not None for d in ("C→S", "S→C"))
        scale = 0 if "SYN" in r["flags"] or not both else shifts[(r["conn"], r["dir"])]
        r["win"] = r["raw_win"] << scale
        by_conn.setdefault(r["conn"], []).append(r)
    return by_conn


def key(r):
    return (r["dir"], r["flags"], r["len"])


def align(a, b):
    """The longest common subsequence of the two segment lists by key, as pairs (x, y) where a
    side is None for a segment only the other sent."""
    n, m = len(a), len(b)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = best[i + 1][j + 1] + 1 if key(a[i]) == key(b[j]) else max(best[i + 1][j], best[i][j + 1])
    i = j = 0
    out = []
    while i < n or j < m:
        if i < n and j < m and key(a[i]) == key(b[j]):
            out.append((a[i], b[j]))
            i, j = i + 1, j + 1
        elif j == m or (i < n and best[i + 1][j] >= best[i][j + 1]):
            out.append((a[i], None))
            i += 1
        else:
            out.append((None, b[j]))
            j += 1
    return out


def show(r):
    if r is None:
        return ""
    text = f"{r['dir']} {r['flags']:<11} len={r['len']:<4} win={r['win']:<6}"
    return text + (f" {r['options']}" if r["options"] else "")


def what_differs(x, y):
    """The fields in which two aligned segments differ, named."""
    names = []
    if x["win"] != y["win"]:
        names.append("window")
    ws = lambda r: next((o for o in r["options"].split() if o.startswith("WS=")), None)
    if ws(x) != ws(y):
        names.append("window scale")
    rest = lambda r: [o for o in r["options"].split() if not o.startswith("WS=")]
    if rest(x) != rest(y):
        names.append("options")
    return names


def label(port, rows):
    if rows and rows[0]["dport"] == 8080:
        return "a client asks for port 8080, where nothing listens"
    return NAMES.get(port, f"client port {port}")


def main():
    kernel, engine = segments(sys.argv[1]), segments(sys.argv[2])
    # The refused connection's client port is ephemeral: pair it by its destination.
    def refused(conns):
        return next((p for p, rows in conns.items() if rows[0]["dport"] == 8080), None)
    pairs = [(10378, 10378), (10379, 10379), (refused(kernel), refused(engine))]
    width = 66
    differences = 0
    named = {}
    for kp, ep in pairs:
        k, e = kernel.get(kp, []), engine.get(ep, [])
        print(f"\n== {label(kp or ep, k or e)}")
        print(f"   {'Linux kernel':<{width}}  Socket Lab engine")
        for x, y in align(k, e):
            why = []
            if x is None or y is None:
                mark = "+ "
                why = ["sent by one side only"]
            else:
                mark = "  " if show(x) == show(y) else "≠ "
                why = what_differs(x, y) if mark != "  " else []
            differences += mark != "  "
            for w in why:
                named[w] = named.get(w, 0) + 1
            note = f"   ({', '.join(why)})" if why else ""
            print(f"{mark} {show(x) if x else '(not sent)':<{width}}  {show(y) if y else '(not sent)'}{note}")
    counts = "; ".join(f"{n} in the {w}" if w != "sent by one side only" else f"{n} sent by one side only" for w, n in named.items())
    print(f"\n{differences} row(s) differ" + (f": {counts}." if counts else "."))


if __name__ == "__main__":
    main()
