/**
 * Chromium for the page tests (playwright-core with the Debian build): a desktop and a phone
 * viewport, the API token pre-seeded for the owner's pages, axe-core for accessibility, and
 * screenshots into `SCREENSHOT_DIR` (default `test-output/screenshots/`, gitignored).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, devices, type Page } from "playwright-core";

export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 },
  phone: { ...devices["Pixel 7"], defaultBrowserType: undefined },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

export async function newContext(
  browser: Browser,
  viewport: ViewportName,
  ownerToken?: string,
): Promise<BrowserContext> {
  const { defaultBrowserType: _d, ...options } = VIEWPORTS[viewport] as typeof VIEWPORTS.phone;
  const context = await browser.newContext(options);
  if (ownerToken) {
    await context.addInitScript((token) => localStorage.setItem("photo-relay-token", token), ownerToken);
  }
  return context;
}

const SHOTS =
  process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, "..", "..", "test-output", "screenshots");

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousA11yIssues(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the pages' CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: Array<{
              id: string;
              impact: string | null;
              help: string;
              nodes: Array<{ target: string[] }>;
            }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Drops files onto `selector` as a person dragging them from the desktop would: the files are
 * read from disk into a hidden input (the only way to hand real files to a page), then a
 * `DataTransfer` holding them goes through dragenter, dragover and drop.
 */
export async function dropFiles(page: Page, selector: string, paths: string[]): Promise<void> {
  await (await stageFiles(page, paths))(selector);
}

/** Puts `paths` in a hidden input of the page; the function returned drops them on `selector`. */
export async function stageFiles(page: Page, paths: string[]): Promise<(selector: string) => Promise<void>> {
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.id = "test-drag-source";
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles("#test-drag-source", paths);
  return (selector) =>
    page.evaluate((target) => {
      const input = document.getElementById("test-drag-source") as HTMLInputElement;
      const transfer = new DataTransfer();
      for (const file of input.files ?? []) transfer.items.add(file);
      const zone = document.querySelector(target);
      if (!zone) throw new Error(`no drop zone ${target}`);
      for (const type of ["dragenter", "dragover", "drop"]) {
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
      input.remove();
    }, selector);
}
