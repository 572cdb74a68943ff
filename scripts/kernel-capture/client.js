// The captured scene's clients (argv: mode, server address, local address, local port):
//   request: send a GET, read the reply, close first (so this side waits in TIME-WAIT);
//   held:    connect and hold the connection HOLD_MS, then close;
//   refused: connect to port 8080, where nothing listens.
import net from "node:net";
const [mode, host, localAddress, port] = process.argv.slice(2);
const localPort = port ? Number(port) : undefined;
if (mode === "request") {
  const s = net.connect({ host, port: 8099, localAddress, localPort }, () =>
    s.write(`GET / HTTP/1.1\r\nHost: ${host}:8099\r\n\r\n`),
  );
  s.on("data", (d) => {
    if (d.toString().includes("hello")) s.end();
  });
  s.on("close", () => console.log("request: closed"));
} else if (mode === "held") {
  const s = net.connect({ host, port: 8099, localAddress, localPort }, () => {
    setTimeout(() => s.end(), Number(process.env.HOLD_MS ?? 800));
  });
  s.on("close", () => console.log("held: closed"));
} else if (mode === "refused") {
  const s = net.connect({ host, port: 8080, localAddress });
  s.on("error", (e) => console.log(`refused: ${e.code}`));
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
