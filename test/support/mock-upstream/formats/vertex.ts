import { textOf } from '../plan';
import { anthropicError } from './anthropic';
import type { ErrorReply } from './format';
import { geminiError } from './gemini';

/** `/v1/projects/{p}/locations/{l}/publishers/{google|anthropic}/models/{model}:{method}` */
export const VERTEX = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(google|anthropic)\/models\/([^/:]+):([A-Za-z]+)$/;

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** What Vertex refuses in a `:rawPredict` body: the model belongs in the URL, anthropic_version in the body. */
export function vertexAnthropicBodyProblem(body: Record<string, unknown>): string | null {
  if (body.anthropic_version !== VERTEX_ANTHROPIC_VERSION) return `anthropic_version: must be "${VERTEX_ANTHROPIC_VERSION}", got ${JSON.stringify(body.anthropic_version)}`;
  if ('model' in body) return 'model: Extra inputs are not permitted (the model is in the URL on Vertex AI)';
  return null;
}

export const vertexUnauthenticated = (): ErrorReply =>
  geminiError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');

/**
 * Gemini `:countTokens` (Vertex: the request's fields; AI Studio: wrapped in generateContentRequest):
 * one token per 4 characters of the JSON of system instruction, contents and tools (what tests compute too).
 */
export function geminiTokenCount(raw: Record<string, unknown>): string {
  const body = (raw.generateContentRequest ?? raw) as Record<string, unknown>;
  const chars = textOf(JSON.stringify([body.systemInstruction ?? null, body.contents ?? null, body.tools ?? null])).length;
  return JSON.stringify({ totalTokens: Math.ceil(chars / 4), totalBillableCharacters: chars });
}

export const vertexAnthropicError = anthropicError;

export interface TokenGrant {
  /** The decoded JWT header and claims of the assertion (its signature is the test's to verify). */
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  assertion: string;
  token: string;
}

const decodePart = (part: string): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Google's OAuth2 token endpoint, JWT bearer grant: checks the form and the assertion's shape and
 * claims (RS256, issuer, audience = this endpoint, cloud-platform scope, at most an hour) and mints
 * an access token. Returns the status and JSON body to answer.
 */
export function tokenGrant(form: string, endpointUrl: string, mint: () => string): { status: number; body: string; grant: TokenGrant | null } {
  const params = new URLSearchParams(form);
  const fail = (error: string, description: string) => ({ status: 400, body: JSON.stringify({ error, error_description: description }), grant: null });
  if (params.get('grant_type') !== JWT_BEARER) return fail('unsupported_grant_type', 'Invalid grant_type');
  const assertion = params.get('assertion') ?? '';
  const parts = assertion.split('.');
  const header = parts.length === 3 ? decodePart(parts[0]) : null;
  const claims = parts.length === 3 ? decodePart(parts[1]) : null;
  if (!header || !claims) return fail('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
  if (header.alg !== 'RS256') return fail('invalid_grant', 'Invalid JWT Signature.');
  const now = Math.floor(Date.now() / 1000);
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (!(iat <= now + 60 && exp > now && exp - iat <= 3600)) return fail('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
  if (claims.aud !== endpointUrl) return fail('invalid_grant', `Invalid JWT: audience must be ${endpointUrl}`);
  if (typeof claims.iss !== 'string' || !claims.iss.includes('@')) return fail('invalid_grant', 'Invalid email or User ID');
  if (claims.scope !== SCOPE) return fail('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
  const token = mint();
  return { status: 200, body: JSON.stringify({ access_token: token, expires_in: 3599, token_type: 'Bearer' }), grant: { header, claims, assertion, token } };
}
