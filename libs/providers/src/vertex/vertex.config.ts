import { z } from 'zod';
import { httpUrl, providerConfig } from '../shared/config-fields';
import { readServiceAccount } from './service-account';

const required = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `required for type vertex (${what})` : undefined) }).min(1);

/**
 * Vertex AI: the Google Cloud project and location of the endpoint, and either a service-account
 * key file (`credentials_file`, exchanged for OAuth2 access tokens) or a static access token in
 * `api_key`. `token_url` overrides the token endpoint (the key file's `token_uri` otherwise).
 */
export const VertexConfigSchema = providerConfig('vertex', {
  project: required('the Google Cloud project id'),
  location: required('the Vertex AI region, e.g. us-central1, europe-west4 or global'),
  credentials_file: z.string().min(1).optional(),
  token_url: httpUrl().optional(),
});
export type VertexConfig = z.infer<typeof VertexConfigSchema>;

/** Credential problems of a vertex provider (field → message); the key file is read and checked here, at config load. */
export function vertexCredentialIssues(c: Pick<VertexConfig, 'credentials_file' | 'api_key'>): Array<{ path: string[]; message: string }> {
  if (c.credentials_file && c.api_key) return [{ path: ['api_key'], message: 'give either credentials_file or api_key (a static access token), not both' }];
  if (!c.credentials_file && !c.api_key) {
    return [{ path: ['credentials_file'], message: 'vertex needs credentials_file (a service-account key file; ${GOOGLE_APPLICATION_CREDENTIALS} works) or api_key (an access token)' }];
  }
  if (c.credentials_file) {
    try {
      readServiceAccount(c.credentials_file);
    } catch (e) {
      return [{ path: ['credentials_file'], message: (e as Error).message }];
    }
  }
  return [];
}
