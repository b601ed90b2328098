import type { CanonicalRequest } from '@gatehouse/formats';
import { buildMessagesBody } from '../anthropic/request';

/** The Messages API version Anthropic models on Vertex take in the body (the model goes in the URL). */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export type VertexPublisher = 'google' | 'anthropic';

/** Claude models are published by Anthropic on Vertex; every other model name is a Google (Gemini) model. */
export const publisherOf = (model: string): VertexPublisher => (/^claude-/i.test(model) ? 'anthropic' : 'google');

/** `https://{location}-aiplatform.googleapis.com`, or the global endpoint for location `global`. */
export const vertexDefaultBaseUrl = (location: string): string =>
  location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;

/** `/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}` of one model. */
export function modelResource(project: string, location: string, model: string, publisher: VertexPublisher = publisherOf(model)): string {
  const p = encodeURIComponent(project);
  const l = encodeURIComponent(location);
  return `/v1/projects/${p}/locations/${l}/publishers/${publisher}/models/${encodeURIComponent(model)}`;
}

/** An Anthropic Messages body as `:rawPredict` takes it: no model, `anthropic_version` in the body. */
export function buildVertexMessagesBody(req: CanonicalRequest, upstreamModel: string): Record<string, unknown> {
  const { model: _model, ...body } = buildMessagesBody(req, upstreamModel);
  return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...body };
}
