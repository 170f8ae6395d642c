/**
 * Pulumi mocks standing in for the AWS provider: every resource is recorded with its inputs and
 * answered with the outputs SST's components read next (ARNs, names, URLs), and the few data
 * sources they call (region, partition, account, IAM policy documents) are computed locally.
 * The region is the deploying shell's, as the provider's default would be.
 */
import { randomBytes } from "node:crypto";

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** What the mocks answered (ARNs, names, URLs). */
  outputs: Record<string, unknown>;
}

export const ACCOUNT = "123456789012";

interface MockArgs {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id?: string;
}

export function awsMocks(region: string, resources: RecordedResource[]) {
  return {
    newResource({ type, name, inputs, id }: MockArgs) {
      const outputs = outputsOf(type, name, inputs, region);
      resources.push({ type, name, inputs, outputs });
      const state = { ...inputs, ...outputs };
      return { id: id || String(state.id ?? `${name}-id`), state };
    },
    call({ token, inputs }: { token: string; inputs: Record<string, unknown> }) {
      switch (token) {
        case "aws:index/getRegion:getRegion":
          return {
            id: region,
            name: region,
            region,
            description: region,
            endpoint: `ec2.${region}.amazonaws.com`,
          };
        case "aws:index/getPartition:getPartition":
          return {
            id: "aws",
            partition: "aws",
            dnsSuffix: "amazonaws.com",
            reverseDnsPrefix: "com.amazonaws",
          };
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return {
            id: ACCOUNT,
            accountId: ACCOUNT,
            arn: `arn:aws:iam::${ACCOUNT}:user/deployer`,
            userId: "AIDA",
          };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
          // As the provider does, the statements come back beside the rendered JSON (SST reads both).
          return { ...inputs, id: "policy", json: JSON.stringify(policyDocument(inputs)) };
        default:
          throw new Error(`data source ${token} is not stood in for by scripts/synth/mocks.ts`);
      }
    },
  };
}

function outputsOf(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string,
): Record<string, unknown> {
  const physical = String(inputs.name ?? `${name.toLowerCase()}-synth`);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = String(inputs.bucket ?? physical);
      return {
        id: bucket,
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
      };
    }
    case "aws:sqs/queue:Queue":
      return {
        arn: arn("sqs", physical),
        url: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${physical}`,
        id: `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${physical}`,
        name: physical,
      };
    case "aws:dynamodb/table:Table":
      return {
        arn: arn("dynamodb", `table/${physical}`),
        name: physical,
        streamArn: arn("dynamodb", `table/${physical}/stream/synth`),
      };
    case "aws:lambda/function:Function":
      return {
        arn: arn("lambda", `function:${physical}`),
        name: physical,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${physical}`)}/invocations`,
        qualifiedArn: arn("lambda", `function:${physical}:$LATEST`),
        version: "$LATEST",
      };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${physical}`, name: physical };
    case "aws:ssm/parameter:Parameter":
      return {
        arn: arn("ssm", `parameter${physical.startsWith("/") ? "" : "/"}${physical}`),
        name: physical,
      };
    case "aws:sns/topic:Topic":
      return { arn: arn("sns", physical), name: physical, id: arn("sns", physical) };
    case "aws:apigatewayv2/api:Api":
      return {
        id: "synthapi",
        apiEndpoint: `https://synthapi.execute-api.${region}.amazonaws.com`,
        executionArn: arn("execute-api", "synthapi"),
      };
    case "random:index/randomBytes:RandomBytes": {
      const bytes = randomBytes(Number(inputs.length ?? 32));
      return { base64: bytes.toString("base64"), hex: bytes.toString("hex") };
    }
    default:
      return { arn: arn(type.split(":")[1]?.split("/")[0] ?? "unknown", physical), name: physical };
  }
}

/** The IAM JSON `aws.iam.getPolicyDocument` renders from its statements. */
function policyDocument(inputs: Record<string, unknown>) {
  type Statement = {
    effect?: string;
    actions?: string[];
    resources?: string[];
    principals?: { type: string; identifiers: string[] }[];
    conditions?: { test: string; variable: string; values: string[] }[];
  };
  const statements = (inputs.statements ?? []) as Statement[];
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Effect: s.effect ?? "Allow",
      ...(s.actions && { Action: s.actions }),
      ...(s.resources && { Resource: s.resources }),
      ...(s.principals && {
        Principal: Object.fromEntries(s.principals.map((p) => [p.type, p.identifiers])),
      }),
      ...(s.conditions && {
        Condition: Object.fromEntries(s.conditions.map((c) => [c.test, { [c.variable]: c.values }])),
      }),
    })),
  };
}
