/** Asks once for the API token (kept in this browser) when a page has none or it was refused. */
import { useState } from "preact/hooks";
import { saveAdminToken } from "./api.ts";

export function SignIn({ problem, onSignedIn }: { problem?: string | undefined; onSignedIn: () => void }) {
  const [token, setToken] = useState("");
  return (
    <main class="signin panel">
      <h1>Sign in to photo-relay</h1>
      <p class="muted">
        Paste the API token (<code>cat .data/api-token</code> on the local stack, the <code>ApiToken</code>{" "}
        secret on AWS). It stays in this browser.
      </p>
      {problem && (
        <p class="error-box" role="alert">
          {problem}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          saveAdminToken(token);
          onSignedIn();
        }}
      >
        <label>
          API token
          <input
            type="password"
            name="token"
            autocomplete="current-password"
            required
            minLength={16}
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
