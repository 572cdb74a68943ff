// The kernel side's clients, one at a time (argv[2]):
//   request: from port 10378, send REQUEST_HEX (the engine's curl request), read the reply
//            (REPLY_LEN bytes), close;
//   held:    from port 10379, connect, hold the connection HOLD_MS, close;
//   refused: connect to port 8080, where nothing listens.
import net from "node:net";
const [mode] = process.argv.slice(2);
const server = "192.168.1.102";
const local = { localAddress: "192.168.1.101" };
if (mode === "request") {
  const request = Buffer.from(process.env.REQUEST_HEX ?? "", "hex");
  const want = Number(process.env.REPLY_LEN ?? 0);
  let got = 0;
  const s = net.connect({ host: server, port: 8099, localPort: 10378, ...local }, () => s.write(request));
  s.on("data", (d) => {
    got += d.length;
    if (got >= want) s.end();
  });
  s.on("close", () => console.log(`request: ${got} bytes of reply`));
} else if (mode === "held") {
  const s = net.connect({ host: server, port: 8099, localPort: 10379, ...local }, () => {
    console.log("held: connected");
    setTimeout(() => s.end(), Number(process.env.HOLD_MS ?? 500));
  });
  s.on("close", () => console.log("held: closed"));
} else if (mode === "refused") {
  const s = net.connect({ host: server, port: 8080, ...local });
  s.on("error", (e) => console.log(`refused: ${e.code}`));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
