// The captured scene's Node.js server: `listen(8099)` with no address, as most Node.js servers
// are written, so it listens on every address, IPv4 and IPv6 (ss shows `*:8099`). It answers
// the first bytes of each connection with a short HTTP reply and closes when the client does.
import net from "node:net";
const reply = Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n");
net
  .createServer((socket) => {
    socket.once("data", () => socket.write(reply));
    socket.on("end", () => socket.end());
    socket.on("error", () => {});
  })
  .listen(8099, () => console.log("listening"));
