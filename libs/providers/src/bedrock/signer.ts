import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedRequestInput {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Fixed signing time (tests); defaults to now. */
  signingDate?: Date;
}

/**
 * SigV4 for Bedrock runtime (service "bedrock"). The signature covers the exact URL path, the
 * headers given and the SHA-256 of the exact body string, so the caller must send these unchanged.
 */
export class BedrockSigner {
  private readonly signer: SignatureV4;

  constructor(region: string, credentials: AwsCredentials) {
    this.signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256 });
  }

  async sign(input: SignedRequestInput): Promise<Record<string, string>> {
    const url = new URL(input.url);
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => { query[k] = v; });
    const signed = await this.signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers: { ...input.headers, host: url.host },
        body: input.body,
      },
      input.signingDate ? { signingDate: input.signingDate } : undefined,
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = String(v);
    return headers;
  }
}
