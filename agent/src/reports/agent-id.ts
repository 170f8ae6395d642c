import { hostname } from "node:os";

/** The default agent id: the host name, reduced to what an S3 key segment and `agentId` allow. */
export function defaultAgentId(name = hostname()): string {
  const id = name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64);
  return id || "agent";
}
