/**
 * Guest upload links: the owner makes one per event (expiry, files, total size), shows its URL and
 * QR code to the guests, and can switch it off. A guest with the link can only upload.
 */

import type { GuestLink as ApiGuestLink } from "@photo-relay/api";
import { useEffect, useState } from "preact/hooks";
import { renderSVG } from "uqr";
import { api } from "../shared/api.ts";
import { formatBytes, formatTime } from "../shared/format.ts";

type GuestLink = ApiGuestLink & { path: string };

const GiB = 1024 ** 3;

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function GuestLinks() {
  const [links, setLinks] = useState<GuestLink[]>();
  const [error, setError] = useState<string>();
  const reload = () =>
    api<{ links: GuestLink[] }>("/guest-links")
      .then((r) => setLinks(r.links))
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
  }, []);
  return (
    <section aria-labelledby="links-title">
      <h2 id="links-title">Guest upload links</h2>
      <p class="muted">
        A link lets guests at an event send photos straight into the pipeline, without an account: they see
        only their own uploads, never this dashboard. Each link has its own limits and can be switched off at
        any time.
      </p>
      <NewLink onCreated={reload} />
      {error && (
        <p class="error-box" role="alert">
          {error}
        </p>
      )}
      <ul class="link-list">
        {links?.map((link) => (
          <LinkCard key={link.linkId} link={link} onChanged={reload} />
        ))}
      </ul>
      {links?.length === 0 && <p class="muted">No links yet.</p>}
    </section>
  );
}

function NewLink({ onCreated }: { onCreated: () => void }) {
  const [label, setLabel] = useState("");
  const [expires, setExpires] = useState(inDays(2));
  const [maxFiles, setMaxFiles] = useState(200);
  const [maxGiB, setMaxGiB] = useState(5);
  const [status, setStatus] = useState<string>();
  return (
    <form
      class="panel new-link"
      aria-label="New guest link"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await api("/guest-links", {
            method: "POST",
            body: {
              label,
              expiresAt: new Date(expires).toISOString(),
              maxFiles,
              maxBytes: Math.round(maxGiB * GiB),
            },
          });
          setLabel("");
          setStatus("Link created");
          onCreated();
        } catch (err) {
          setStatus((err as Error).message);
        }
      }}
    >
      <label>
        Event
        <input
          name="label"
          required
          maxLength={120}
          value={label}
          placeholder="Anna & Ben's wedding"
          onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Open until
        <input
          name="expires"
          type="datetime-local"
          required
          value={expires}
          onInput={(e) => setExpires((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Files at most
        <input
          name="maxFiles"
          type="number"
          min={1}
          max={10000}
          required
          value={maxFiles}
          onInput={(e) => setMaxFiles(Number((e.target as HTMLInputElement).value))}
        />
      </label>
      <label>
        Size at most (GiB)
        <input
          name="maxGiB"
          type="number"
          min={0.01}
          step={0.01}
          required
          value={maxGiB}
          onInput={(e) => setMaxGiB(Number((e.target as HTMLInputElement).value))}
        />
      </label>
      <button type="submit">Create link</button>
      {status && (
        <p role="status" class="muted">
          {status}
        </p>
      )}
    </form>
  );
}

function LinkCard({ link, onChanged }: { link: GuestLink; onChanged: () => void }) {
  const url = `${location.origin}${link.path}`;
  const [copied, setCopied] = useState(false);
  const state = link.revokedAt
    ? "switched off"
    : Date.parse(link.expiresAt) <= Date.now()
      ? "expired"
      : "open";
  return (
    <li class="panel link-card" data-link-id={link.linkId} data-state={state}>
      <div
        class="qr"
        role="img"
        aria-label={`QR code for the ${link.label} upload link`}
        dangerouslySetInnerHTML={{ __html: renderSVG(url, { border: 2 }) }}
      />
      <div class="link-body">
        <h3>
          {link.label} <span class={`badge ${state === "open" ? "done" : "failed"}`}>{state}</span>
        </h3>
        <p class="muted small">
          until {formatTime(link.expiresAt)} · {link.usedFiles} of {link.maxFiles} files ·{" "}
          {formatBytes(link.usedBytes)} of {formatBytes(link.maxBytes)}
        </p>
        <label>
          Link for guests
          <input readOnly value={url} name="url" onFocus={(e) => (e.target as HTMLInputElement).select()} />
        </label>
        <div class="row">
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await navigator.clipboard?.writeText(url).catch(() => undefined);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy link"}
          </button>
          {state === "open" && (
            <button
              type="button"
              class="danger"
              onClick={async () => {
                await api(`/guest-links/${link.linkId}`, { method: "DELETE" });
                onChanged();
              }}
            >
              Switch off
            </button>
          )}
        </div>
      </div>
    </li>
  );
}
