/** The owner's pages' header: where you are, and the way to the other pages. */
import type { ComponentChildren } from "preact";

export function TopBar({
  current,
  children,
}: {
  current: "dashboard" | "upload";
  children?: ComponentChildren;
}) {
  return (
    <header class="topbar">
      <h1>photo-relay</h1>
      <nav aria-label="Pages">
        <a href="/app/dashboard" aria-current={current === "dashboard" ? "page" : undefined}>
          Dashboard
        </a>
        <a href="/app/upload" aria-current={current === "upload" ? "page" : undefined}>
          Upload
        </a>
      </nav>
      <span class="spacer" />
      {children}
    </header>
  );
}
