/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "photo-relay",
      home: "aws",
      // No region here: it is the deploying shell's (AWS_REGION / the profile's), and the functions
      // read their own AWS_REGION, so the same app deploys to any region.
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    // Dynamic imports: the `sst` globals exist only inside run().
    const storage = await import("./infra/storage.ts");
    const api = await import("./infra/api.ts");
    await import("./infra/pipeline.ts");
    await import("./infra/dead-letters.ts");
    await import("./infra/schedules.ts");
    return { bucket: storage.bucket.name, api: api.api.url };
  },
});
