/**
 * The Instagram token's last refusal as one settings item of the Photos table. The publish stage,
 * the API and the refresh job may all write it (each already writes that table), while the token
 * itself lives in a store only the refresh job may write (on AWS, an SSM parameter).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { TokenProblem, TokenProblemLog } from "@photo-relay/instagram";
import { PHOTOS_TABLE } from "../../settings.ts";

export class TokenProblemItem implements TokenProblemLog {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async read(): Promise<TokenProblem | undefined> {
    const out = await this.#db.send(
      new GetCommand({
        TableName: this.#table,
        Key: { id: PHOTOS_TABLE.tokenProblemKey },
        ConsistentRead: true,
      }),
    );
    return (out.Item as { problem?: TokenProblem } | undefined)?.problem;
  }

  async write(problem: TokenProblem): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { id: PHOTOS_TABLE.tokenProblemKey, kind: "setting", problem },
      }),
    );
  }
}
