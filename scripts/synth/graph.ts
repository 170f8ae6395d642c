/**
 * Questions about a synthesized resource graph (`scripts/synth/run.ts`): each function with its
 * role, event sources and links, and ARNs spelled as short names (`media/originals/*`,
 * `convert-dlq`) so that a summary, and the checks, read plainly.
 */
export interface Resource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface Graph {
  app: { name: string; stage: string; providers: Record<string, Record<string, unknown>> };
  region: string;
  resources: Resource[];
  builds: {
    functionID: string;
    handler: string;
    runtime: string;
    properties: Record<string, unknown>;
    links: Record<string, Record<string, unknown>>;
  }[];
}

export interface EventSource {
  batchSize?: number;
  functionResponseTypes?: string[];
  scalingConfig?: { maximumConcurrency?: number };
  queue: Resource | undefined;
}

export interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
  /** `{ "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["…"] } }` */
  Condition?: Record<string, Record<string, string[]>>;
}

/** A statement's conditions as ` when <variable> <test> <values>`; empty without any. */
function when(statement: Statement): string {
  return Object.entries(statement.Condition ?? {})
    .flatMap(([test, vars]) =>
      Object.entries(vars).map(([v, values]) => ` when ${v} ${test} ${values.join(",")}`),
    )
    .join("");
}

export function inspect(graph: Graph) {
  const of = (type: string) => graph.resources.filter((r) => r.type === type);
  const named = (type: string, name: string) => {
    const found = of(type).find((r) => r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}`);
    return found;
  };
  const queueNames = new Map(of("aws:sqs/queue:Queue").map((q) => [String(q.outputs.arn), q.name]));
  const bucket = String(of("aws:s3/bucket:Bucket")[0]?.outputs.arn);
  const table = String(of("aws:dynamodb/table:Table")[0]?.outputs.arn);
  const parameter = String(of("aws:ssm/parameter:Parameter")[0]?.outputs.arn);
  const topic = String(of("aws:sns/topic:Topic")[0]?.outputs.arn);

  /** `arn:aws:s3:::<media>/originals/*` → `media/originals/*`, a stage queue → `convert`, its DLQ → `convert-dlq`. */
  function short(arn: string): string {
    const queue = queueNames.get(arn);
    if (queue)
      return queue
        .replace(/JobsQueue$/, "")
        .replace(/DeadLettersQueue$/, "-dlq")
        .toLowerCase();
    if (arn.startsWith(bucket)) return `media${arn.slice(bucket.length)}`;
    if (arn.startsWith(table)) return `photos${arn.slice(table.length)}`;
    if (arn === parameter) return "token-parameter";
    if (arn === topic) return "alerts";
    return arn;
  }

  return {
    of,
    short,
    function(name: string) {
      const lambda = named("aws:lambda/function:Function", `${name}Function`);
      const role = named("aws:iam/role:Role", `${name}Role`);
      const policies = (role.inputs.inlinePolicies ?? []) as { policy: string }[];
      const statements = policies.flatMap(
        (p) => (JSON.parse(p.policy) as { Statement: Statement[] }).Statement,
      );
      const eventSources = of("aws:lambda/eventSourceMapping:EventSourceMapping")
        .filter((m) => m.inputs.functionName === lambda.outputs.arn)
        .map(
          (m): EventSource => ({
            ...(m.inputs as Omit<EventSource, "queue">),
            queue: of("aws:sqs/queue:Queue").find((q) => q.outputs.arn === m.inputs.eventSourceArn),
          }),
        );
      const build = graph.builds.find((b) => b.functionID === name);
      return {
        lambda: lambda.inputs,
        role: role.inputs,
        environment: ((lambda.inputs.environment as { variables?: Record<string, string> })?.variables ??
          {}) as Record<string, string>,
        /** Every allowed action as `<action> <short resource>[ when <condition>]`. */
        rights: statements
          .flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${short(r)}${when(s)}`)))
          .sort(),
        statements,
        eventSources,
        links: Object.keys(build?.links ?? {}).sort(),
        build,
      };
    },
  };
}
