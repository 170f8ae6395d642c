/** The devices process (`devices.ts`): takes each shot it is sent, with its camera or phone, and answers. */
import { boundNativeHeap, startHeapTrim } from "@photo-relay/local-stack/native-heap";
import type { Shot } from "../event-script.ts";
import { takeCameraShot } from "./cameras.ts";
import type { DeviceReply, DeviceRequest, DevicesSetup } from "./devices.ts";
import { uploadFromPhone } from "./phones.ts";

// Its 20-75 MB shots come and go all event long: bounded as the stack's heap is (native-heap.ts).
await boundNativeHeap();
await startHeapTrim();

const setup = JSON.parse(process.argv[2] ?? "{}") as DevicesSetup;

const take = (shot: Shot) =>
  shot.source === "phone"
    ? uploadFromPhone(shot, setup.phoneApi, setup.sizes, setup.seed)
    : takeCameraShot(shot, setup.folders, setup.sizes, setup.seed);

process.on("message", async ({ id, shot }: DeviceRequest) => {
  let reply: DeviceReply;
  try {
    reply = { id, taken: await take(shot) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(reply);
});
process.once("disconnect", () => process.exit(0));
