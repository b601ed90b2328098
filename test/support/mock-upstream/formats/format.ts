import type { Plan, RequestView } from '../plan';

export type Frame = string | Uint8Array;

export interface ErrorReply {
  headers: Record<string, string>;
  body: string;
}

/** One wire format: how to read a request and write the answer, streamed or not, or an error. */
export interface WireFormat {
  view(body: Record<string, unknown>, route: RouteInfo): RequestView;
  json(plan: Plan, view: RequestView): string;
  streamContentType: string;
  stream(plan: Plan, view: RequestView): Frame[];
  error(status: number, message: string): ErrorReply;
}

export interface RouteInfo {
  /** Model from the URL (Gemini, Bedrock, Azure deployments); the body's model otherwise. */
  model: string | null;
  stream: boolean;
  query: Record<string, string>;
}

let counter = 0;
export const nextId = (): string => (++counter).toString(36).padStart(6, '0');
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
export const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
export const namedSse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const parseArguments = (args: string): unknown => {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
};
