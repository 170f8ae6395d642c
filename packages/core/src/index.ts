export * from "./aws.ts";
export * from "./edge.ts";
