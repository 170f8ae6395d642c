export * from "./app.ts";
export { guestLinks } from "./caller.ts";
export type { GuestLink } from "./guest-link-store.ts";
export { issueTicket, readTicket } from "./upload-tickets.ts";
