/**
 * `@photo-relay/pipeline/dead-letters`: the subscriber on every dead-letter queue — marks the
 * photo's stage and sends the alert. Brings in SNS and the photo store; nothing of any stage.
 */
export { type Alert, alertBody } from "./alerts.ts";
export { type DeadLetter, handleDeadLetter, readDeadLetter } from "./dead-letter.ts";
export {
  createDeadLetterRuntime,
  DEAD_LETTER_NEEDS,
  type DeadLetterRuntime,
  type DeadLetterRuntimeOptions,
} from "./dead-letter-runtime.ts";
