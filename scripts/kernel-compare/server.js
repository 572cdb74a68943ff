// The kernel side's Node.js server: listens on 192.168.1.102:8099 (Node's default backlog,
// 511) and answers the first bytes of each connection with REPLY_HEX, the engine's reply, so
// both runs carry the same bytes. Like Node's http server it closes when the client does.
import net from "node:net";
const reply = Buffer.from(process.env.REPLY_HEX ?? "", "hex");
net
  .createServer((socket) => {
    socket.once("data", () => socket.write(reply));
    socket.on("error", () => {});
  })
  .listen(8099, "192.168.1.102", () => console.log("listening"));
