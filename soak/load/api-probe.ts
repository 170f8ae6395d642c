/**
 * The API under load, from outside: a probe timing `GET /status` and `GET /photos` back to back
 * (the dashboard's calls), and an intruder hammering `/photos` without a token and with a wrong
 * one, counting the 401s and 429s it gets (auth-throttle.ts).
 */
export interface ProbeResult {
  latencies: Record<"status" | "photos", Array<{ t: number; ms: number; status: number }>>;
  answers: string[];
}

export function startApiProbe(api: { url: string; token: string }, intervalMs = 500) {
  const result: ProbeResult = { latencies: { status: [], photos: [] }, answers: [] };
  let running = true;
  const time = async (name: "status" | "photos", path: string) => {
    const start = performance.now();
    try {
      const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
      const text = await res.text();
      result.latencies[name].push({ t: Date.now(), ms: performance.now() - start, status: res.status });
      if (result.answers.length < 40) result.answers.push(text);
    } catch {
      result.latencies[name].push({ t: Date.now(), ms: performance.now() - start, status: 0 });
    }
  };
  const loop = (async () => {
    while (running) {
      await time("status", "/status");
      await time("photos", "/photos?limit=50");
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    result,
    async stop() {
      running = false;
      await loop;
    },
  };
}

export interface IntruderResult {
  requests: number;
  byStatus: Record<string, number>;
  /** Any answer that was not a refusal (a 2xx would be a hole). */
  leaks: number;
}

export function startIntruder(apiUrl: string, intervalMs = 50) {
  const result: IntruderResult = { requests: 0, byStatus: {}, leaks: 0 };
  let running = true;
  const tokens = [undefined, "wrong-token-0123456789abcdef", "Bearer-looking-but-not-it-xyz"];
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const token = tokens[i % tokens.length];
      try {
        const res = await fetch(`${apiUrl}/photos`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        await res.arrayBuffer();
        result.requests++;
        result.byStatus[res.status] = (result.byStatus[res.status] ?? 0) + 1;
        if (res.status < 400) result.leaks++;
      } catch {
        result.byStatus.error = (result.byStatus.error ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    result,
    async stop() {
      running = false;
      await loop;
    },
  };
}
