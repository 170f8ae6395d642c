/**
 * Where a token Instagram refused is recorded. Not in the token store: that is the refresh job's
 * alone to write (on AWS an SSM parameter no other function may put), while a refusal is noticed
 * by whoever calls Instagram — the publish stage, the API, the refresh job. The pipeline keeps it
 * as one item in its table; each record names the token it is about, so a refreshed or newly
 * configured token is not refused.
 */

export interface TokenProblem {
  /** `instagram_auth`. */
  code: string;
  /** Secret-free: "token expired (#190/463)". */
  message: string;
  at: string;
  /** SHA-256 of the refused access token. */
  tokenHash: string;
}

/** The last refusal, read and replaced as a whole; a missing record reads as `undefined`. */
export interface TokenProblemLog {
  read(): Promise<TokenProblem | undefined>;
  write(problem: TokenProblem): Promise<void>;
}

/** A log that lives as long as the process: for a keeper nobody else needs to hear from (tests, tools). */
export class MemoryTokenProblems implements TokenProblemLog {
  #problem: TokenProblem | undefined;

  async read(): Promise<TokenProblem | undefined> {
    return this.#problem;
  }

  async write(problem: TokenProblem): Promise<void> {
    this.#problem = problem;
  }
}
