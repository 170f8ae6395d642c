/**
 * The S3 emulator refuses request bodies over 11 MiB (fauxqs builds its Fastify app with that
 * `bodyLimit`, docs/local-emulators.md), where AWS takes 5 GiB in one PUT and the API signs one PUT
 * for a phone's whole photo (`POST /uploads`, up to `api.maxUploadBytes`). Fastify announces every
 * app it builds on its `fastify.initialization` diagnostics channel before any route is added
 * (Fastify's Hooks reference, "Diagnostics Channel Hooks"); an `onRoute` hook there gives each
 * route the local stack's own limit, {@link MAX_BODY_BYTES}. The S3 worker starts it before its
 * emulator, the only Fastify app in its thread.
 */
import { subscribe } from "node:diagnostics_channel";
import { MAX_BODY_BYTES } from "./s3-request-reading.ts";

interface FastifyApp {
  addHook(name: "onRoute", hook: (route: { bodyLimit?: number }) => void): unknown;
}

/** Raises the body limit of each Fastify app built from now on in this thread. */
export function liftEmulatorBodyLimit(): void {
  subscribe("fastify.initialization", (message: unknown) => {
    (message as { fastify: FastifyApp }).fastify.addHook("onRoute", (route) => {
      route.bodyLimit = MAX_BODY_BYTES;
    });
  });
}
