/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "photo-relay",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    // Dynamic imports: the `sst` globals exist only inside run().
    const storage = await import("./infra/storage");
    const api = await import("./infra/api");
    await import("./infra/pipeline");
    await import("./infra/schedules");
    return { bucket: storage.bucket.name, api: api.api.url };
  },
});
