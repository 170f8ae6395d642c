/**
 * Structured JSON logs (Powertools Logger). Every line about a photo carries `photoId`, so one
 * photo's journey can be followed across the agent and the functions with a single filter.
 */
import { Logger } from "@aws-lambda-powertools/logger";

export type { Logger };

export interface LoggerOptions {
  level?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
}

export function createLogger(serviceName: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.LOG_LEVEL?.toUpperCase() as LoggerOptions["level"]) ?? "INFO";
  return new Logger({ serviceName, logLevel: level });
}

/** A child logger whose every line carries the photo id. */
export function forPhoto(logger: Logger, photoId: string): Logger {
  return logger.createChild({ persistentKeys: { photoId } });
}
