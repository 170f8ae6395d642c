/** The S3 client factory for the CLI: static credentials from the config, else the default AWS chain. */
import { S3Client } from "@aws-sdk/client-s3";
import type { AgentConfig } from "./config.ts";

export function createS3Client(config: AgentConfig): S3Client {
  const { s3 } = config;
  return new S3Client({
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    // Checksums only where S3 requires them, as in @photo-relay/core: S3-compatible servers accept the uploads.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    expectContinueHeader: false,
    ...(s3.endpoint && { endpoint: s3.endpoint }),
    ...(s3.accessKeyId &&
      s3.secretAccessKey && {
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      }),
  });
}
