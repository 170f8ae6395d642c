import { openSession } from "../packages/mirror/src/index.ts";
import { startMirrorHosts } from "./faults/mirror-hosts.ts";

const hosts = await startMirrorHosts();
const target = hosts.targets[0] as never;
const file = (id: string) => ({
  data: Buffer.from(`x ${id}`),
  name: `${id}-web.jpg`,
  date: new Date(),
  id,
  rendition: "web",
});
const s = openSession(target);
console.log("up:", JSON.stringify((await s.put(file("a1"))).transport));
hosts.setDown("ftps", true);
hosts.setDown("sftp", true);
try {
  console.log("down same session:", JSON.stringify(await s.put(file("a2"))));
} catch (e) {
  console.log("down same session failed:", String(e).slice(0, 150));
}
const s2 = openSession(target);
try {
  console.log("down new session:", JSON.stringify(await s2.put(file("a3"))));
} catch (e) {
  console.log("down new session failed:", String(e).slice(0, 150));
}
await s.close().catch(() => {});
await s2.close().catch(() => {});
await hosts.stop();
