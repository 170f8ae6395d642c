/**
 * The upload page, for the owner (`/app/upload`, with the API token) and for guests
 * (`/app/guest/<link>#<secret>`, with only that link's token: upload, and see their own files).
 */
import "@uppy/core/css/style.min.css";
import "@uppy/dashboard/css/style.min.css";
import "../shared/styles.css";
import type Uppy from "@uppy/core";
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { type ApiError, api, currentCredentials, useGuestToken } from "../shared/api.ts";
import { formatBytes, formatTime } from "../shared/format.ts";
import { SignIn } from "../shared/sign-in.tsx";
import { TopBar } from "../shared/top-bar.tsx";
import { UploadList } from "../upload/upload-list.tsx";
import { createUploader, type FileMeta, type UploadRules } from "../upload/uploader.ts";

interface GuestLinkInfo {
  linkId: string;
  label: string;
  expiresAt: string;
  maxFiles: number;
  maxBytes: number;
  usedFiles: number;
  usedBytes: number;
}
type Rules = UploadRules & { link?: GuestLinkInfo };

/** `<linkId>.<secret>` from `/app/guest/<linkId>#<secret>`, or undefined on the owner's page. */
function guestToken(): string | undefined {
  const match = /^\/app\/guest\/([A-Za-z0-9_-]+)$/.exec(location.pathname);
  const secret = location.hash.slice(1);
  return match && secret ? `${match[1]}.${secret}` : undefined;
}

function UploadPage() {
  const guest = guestToken();
  if (guest) useGuestToken(guest);
  const [rules, setRules] = useState<Rules>();
  const [problem, setProblem] = useState<{ message: string; signIn: boolean }>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!guest && !currentCredentials()) return setProblem({ message: "", signIn: true });
    api<Rules>("/uploads/rules")
      .then((r) => {
        setRules(r);
        setProblem(undefined);
      })
      .catch((error: ApiError) =>
        setProblem({ message: error.message, signIn: !guest && error.status === 401 }),
      );
  }, [attempt]);

  if (problem?.signIn)
    return <SignIn problem={problem.message || undefined} onSignedIn={() => setAttempt((n) => n + 1)} />;
  return (
    <>
      {guest ? (
        <header class="topbar">
          <h1>Send photos</h1>
        </header>
      ) : (
        <TopBar current="upload" />
      )}
      <main>
        {problem && (
          <p class="error-box" role="alert">
            {problem.message}
          </p>
        )}
        {rules?.link && <GuestHeader link={rules.link} />}
        {rules && <UploaderPanel rules={rules} scope={rules.link ? `guest-${rules.link.linkId}` : "owner"} />}
      </main>
    </>
  );
}

function GuestHeader({ link }: { link: GuestLinkInfo }) {
  return (
    <section class="panel guest-head" aria-label="About this link">
      <h2>{link.label}</h2>
      <span class="muted">open until {formatTime(link.expiresAt)}</span>
      <span class="muted">
        up to {link.maxFiles} files, {formatBytes(link.maxBytes)} in all
      </span>
    </section>
  );
}

function UploaderPanel({ rules, scope }: { rules: Rules; scope: string }) {
  const target = useRef<HTMLDivElement>(null);
  const [uppy, setUppy] = useState<Uppy<FileMeta, Record<string, never>>>();
  useEffect(() => {
    if (!target.current) return;
    const note = `Photos and videos up to ${formatBytes(rules.maxUploadBytes)}. Closed the tab? Open this page again to resume.`;
    const created = createUploader(target.current, rules, scope, note);
    setUppy(created);
    return () => created.destroy();
  }, [rules, scope]);
  return (
    <>
      <section class="panel" aria-label="Choose photos">
        <div ref={target} id="uploader" />
      </section>
      {uppy && <UploadList uppy={uppy} />}
    </>
  );
}

const root = document.getElementById("root");
if (root) render(<UploadPage />, root);
