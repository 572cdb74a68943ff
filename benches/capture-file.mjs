// A capture file for the benchmarks of the import's page (benches/import.mjs, and
// benches/frames.mjs with FRAME_PAGE=import): written here, so that anyone can make the same one.

/** A pcap file of `n` packets: connections of ten packets from 10.0.x.y to 10.1.0.1:8099. */
export function capture(n) {
  const frame = 14 + 20 + 20;
  const payload = [0, 0, 0, 60, 0, 200, 0, 0, 0, 0];
  const flags = [0x02, 0x12, 0x10, 0x18, 0x10, 0x18, 0x10, 0x11, 0x11, 0x10];
  const fromClient = [1, 0, 1, 1, 0, 0, 1, 1, 0, 1];
  let total = 24;
  for (let i = 0; i < n; i++) total += 16 + frame + payload[i % 10];
  const b = Buffer.alloc(total);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  let at = 24;
  for (let i = 0; i < n; i++) {
    const conn = Math.floor(i / 10);
    const k = i % 10;
    const len = frame + payload[k];
    const micros = conn * 2000 + k * 100;
    b.writeUInt32LE(1_700_000_000 + Math.floor(micros / 1e6), at);
    b.writeUInt32LE(micros % 1e6, at + 4);
    b.writeUInt32LE(len, at + 8);
    b.writeUInt32LE(len, at + 12);
    const f = at + 16;
    b.writeUInt16BE(0x0800, f + 12);
    const ip = f + 14;
    b[ip] = 0x45;
    b.writeUInt16BE(20 + 20 + payload[k], ip + 2);
    b[ip + 8] = 64;
    b[ip + 9] = 6;
    const client = [10, 0, (conn >> 8) & 255, (conn & 255) || 1];
    const server = [10, 1, 0, 1];
    const [src, dst] = fromClient[k] ? [client, server] : [server, client];
    Buffer.from(src).copy(b, ip + 12);
    Buffer.from(dst).copy(b, ip + 16);
    const tcp = ip + 20;
    const cport = 32768 + (conn % 28000);
    b.writeUInt16BE(fromClient[k] ? cport : 8099, tcp);
    b.writeUInt16BE(fromClient[k] ? 8099 : cport, tcp + 2);
    // Sequence numbers that add up: the client's from 1000, the server's from 5000.
    const cseq = [1000, 0, 1001, 1001, 0, 0, 1061, 1061, 0, 1062][k];
    const sseq = [0, 5000, 0, 0, 5001, 5001, 0, 0, 5201, 0][k];
    const cack = [0, 0, 5001, 5001, 0, 0, 5201, 5201, 0, 5202][k];
    const sack = [0, 1001, 0, 0, 1061, 1061, 0, 0, 1062, 0][k];
    b.writeUInt32BE(fromClient[k] ? cseq : sseq, tcp + 4);
    b.writeUInt32BE(fromClient[k] ? cack : sack, tcp + 8);
    b[tcp + 12] = 0x50;
    b[tcp + 13] = flags[k];
    b.writeUInt16BE(64240, tcp + 14);
    at = f + len;
  }
  return b;
}
