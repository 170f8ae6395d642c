/**
 * The health header: queues and dead letters, photos per state with "retry all", the Instagram
 * quota and when the next post can go, the token, and each capture PC.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api } from "../shared/api.ts";
import { formatAgo, formatBytes, formatTime, label } from "../shared/format.ts";
import { useHealth } from "./live.ts";
import type { AgentHealth, Health, StageName } from "./types.ts";

export function HealthHeader() {
  const { health, error } = useHealth();
  return (
    <section class="health" aria-label="Pipeline health">
      {error && (
        <p class="error-box" role="alert">
          Live updates paused: {error}
        </p>
      )}
      {health ? (
        <div class="tiles">
          <Queues queues={health.queues} />
          <Counts health={health} />
          <Quota instagram={health.instagram} />
          <Token token={health.token} />
          <Agents agents={health.agents} />
        </div>
      ) : (
        !error && <p class="muted">Loading the pipeline's health…</p>
      )}
    </section>
  );
}

function Tile({
  title,
  state,
  children,
}: {
  title: string;
  state?: "ok" | "warn" | "bad" | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`tile ${state ?? ""}`} data-tile={title.toLowerCase()}>
      <h2>{title}</h2>
      {children}
    </div>
  );
}

function Queues({ queues }: { queues: Health["queues"] }) {
  const dead = Object.values(queues).reduce((n, q) => n + ("error" in q ? 0 : (q.deadLetters ?? 0)), 0);
  return (
    <Tile title="Queues" state={dead > 0 ? "bad" : "ok"}>
      <dl class="kv">
        {(Object.entries(queues) as Array<[StageName, Health["queues"][StageName]]>).map(([name, q]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>
              {"error" in q ? (
                <span class="bad-text">{q.error}</span>
              ) : (
                <>
                  {q.visible + q.inFlight + q.delayed} queued ·{" "}
                  <span class={q.deadLetters ? "bad-text" : ""}>{q.deadLetters ?? "–"} DLQ</span>
                </>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </Tile>
  );
}

function Counts({ health }: { health: Health }) {
  const [result, setResult] = useState<string>();
  const failed = health.counts.failed;
  return (
    <Tile title="Photos" state={failed ? "bad" : "ok"}>
      <dl class="kv">
        {Object.entries(health.counts).map(([status, n]) => (
          <div key={status}>
            <dt>{label(status)}</dt>
            <dd data-count={status}>{n}</dd>
          </div>
        ))}
      </dl>
      {failed > 0 && (
        <button
          type="button"
          class="secondary"
          onClick={async () => {
            const r = await api<{ redriven: number }>("/retry", { method: "POST" }).catch((e: Error) => e);
            setResult(r instanceof Error ? r.message : `${r.redriven} sent again`);
          }}
        >
          Retry all {failed} failed
        </button>
      )}
      {result && (
        <p class="muted" role="status">
          {result}
        </p>
      )}
      <p class="muted small">publishing: {health.mode}</p>
    </Tile>
  );
}

function Quota({ instagram }: { instagram: Health["instagram"] }) {
  if ("error" in instagram) {
    return (
      <Tile title="Instagram" state="bad">
        <p class="bad-text">{instagram.error.message}</p>
      </Tile>
    );
  }
  const left = instagram.quotaTotal - instagram.quotaUsage;
  return (
    <Tile title="Instagram" state={left > 0 ? "ok" : "warn"}>
      <p>
        <strong>{instagram.quotaUsage}</strong> of {instagram.quotaTotal} posts used in{" "}
        {instagram.windowHours} h · {left} left
      </p>
      <p class="muted">
        next post:{" "}
        {left > 0 ? "now" : instagram.nextPostAt ? formatTime(instagram.nextPostAt) : "when the window frees"}
      </p>
    </Tile>
  );
}

function Token({ token }: { token: Health["token"] }) {
  if ("error" in token) {
    return (
      <Tile title="Token" state="bad">
        <p class="bad-text">{token.error.message}</p>
      </Tile>
    );
  }
  const soon = token.daysLeft !== undefined && token.daysLeft < 7;
  return (
    <Tile title="Token" state={!token.valid ? "bad" : soon ? "warn" : "ok"}>
      <p>
        <strong>{token.valid ? "valid" : "not valid"}</strong>
        {token.daysLeft !== undefined && ` · ${token.daysLeft} days left`}
      </p>
      {token.problem && <p class="bad-text">{token.problem.message}</p>}
    </Tile>
  );
}

function Agents({ agents }: { agents: AgentHealth[] }) {
  return (
    <Tile
      title="Capture PC"
      state={agents.length === 0 ? undefined : agents.every((a) => a.online) ? "ok" : "bad"}
    >
      {agents.length === 0 && <p class="muted">No agent has reported yet.</p>}
      <ul class="agents">
        {agents.map((a) => (
          <li key={a.agentId} data-agent={a.agentId} data-online={String(a.online)}>
            <span class={`badge ${a.online ? "done" : "failed"}`}>{a.online ? "online" : "offline"}</span>{" "}
            <strong>{a.heartbeat?.hostname ?? a.agentId}</strong>
            {a.heartbeat && (
              <div class="muted small">
                spool {a.heartbeat.spool.files} files ({formatBytes(a.heartbeat.spool.bytes)}) · seen{" "}
                {formatAgo(a.heartbeat.at)}
                {a.heartbeat.lastFile &&
                  ` · last ${a.heartbeat.lastFile.name} ${formatAgo(a.heartbeat.lastFile.at)}`}
              </div>
            )}
            {a.problem && <div class="bad-text small">{a.problem}</div>}
          </li>
        ))}
      </ul>
    </Tile>
  );
}
