export * from "./app.ts";
export * from "./upload-integrity.ts";
