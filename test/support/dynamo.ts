/**
 * A DynamoDB client for the local stack's in-memory DynamoDB server (`startDynamo(undefined)`), as
 * the store tests use it: the emulator takes any credentials, the SDK only needs some to sign with.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export function localDynamoClient(url: string): DynamoDBClient {
  return new DynamoDBClient({
    region: "us-east-1",
    endpoint: url,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
}
