import type { CanonicalEmbeddingsRequest, CanonicalMessage, CanonicalRequest, ImagePart, ResponseFormat, ToolChoice, ToolDefinition } from '@gatehouse/formats';
import { invalidRequest, unsupportedField } from '@gatehouse/contracts';
import { cleanGeminiSchema, isEmptyObjectSchema } from './schema-cleaner';

/** Wire shapes of the Generative Language API request (v1beta). */
export type GeminiPart =
  | { text: string; thought?: boolean; thoughtSignature?: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { mimeType: string; fileUri: string } }
  | { functionCall: { name: string; args: Record<string, unknown> }; thoughtSignature?: string }
  | { functionResponse: { name: string; response: Record<string, unknown> } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }> }>;
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'NONE' | 'ANY'; allowedFunctionNames?: string[] } };
  generationConfig?: Record<string, unknown>;
}

/**
 * Gemini 3 rejects a replayed model turn whose function call lacks the thought signature it was
 * given. Clients that cannot carry signatures (OpenAI format) get Google's documented sentinel.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

const REASONING_BUDGET = { minimal: 128, low: 1024, medium: 8192, high: 24576 } as const;

const IMAGE_MIME_BY_EXT: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif',
};

function imagePart(part: ImagePart, field: string): GeminiPart {
  const src = part.source;
  if (src.kind === 'base64') return { inlineData: { mimeType: src.media_type, data: src.data } };
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(src.url);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  if (!/^(https:\/\/|gs:\/\/)/i.test(src.url)) {
    throw unsupportedField(field, 'gemini', 'image URLs must be https:// or gs:// (or send the image as base64 data)');
  }
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(src.url)?.[1]?.toLowerCase() ?? '';
  return { fileData: { mimeType: IMAGE_MIME_BY_EXT[ext] ?? 'image/jpeg', fileUri: src.url } };
}

function parseArgs(args: string, field: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidRequest(`${field} must be a JSON object`, field);
}

/** A tool result's text as Gemini's functionResponse.response object. */
function toolResponse(text: string, isError: boolean): Record<string, unknown> {
  if (!isError) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // plain text result
    }
  }
  return isError ? { error: text } : { result: text };
}

function contentOf(message: CanonicalMessage, mi: number, toolNames: Map<string, string>, signatureFallback: boolean): GeminiContent {
  const parts: GeminiPart[] = [];
  let pendingSignature: string | undefined;
  let signedCallInTurn = false;
  message.content.forEach((part, pi) => {
    const field = `messages[${mi}].content[${pi}]`;
    switch (part.type) {
      case 'text':
        if (part.text === '') return;
        parts.push(pendingSignature ? { text: part.text, thoughtSignature: pendingSignature } : { text: part.text });
        pendingSignature = undefined;
        return;
      case 'image':
        parts.push(imagePart(part, field));
        return;
      case 'thinking':
        if (part.signature) pendingSignature = part.signature;
        return;
      case 'tool_call': {
        const call: GeminiPart = { functionCall: { name: part.name, args: parseArgs(part.arguments, `${field}.arguments`) } };
        const signature = pendingSignature ?? (signatureFallback && !signedCallInTurn ? SKIP_SIGNATURE : undefined);
        if (signature) call.thoughtSignature = signature;
        signedCallInTurn = true;
        pendingSignature = undefined;
        parts.push(call);
        return;
      }
      case 'tool_result': {
        const name = toolNames.get(part.tool_call_id);
        if (!name) throw invalidRequest(`${field}.tool_call_id "${part.tool_call_id}" matches no earlier tool call`, `${field}.tool_call_id`);
        const text = part.content.filter((c) => c.type === 'text').map((c) => c.text).join('');
        parts.push({ functionResponse: { name, response: toolResponse(text, part.is_error === true) } });
        part.content.forEach((c, ci) => {
          if (c.type === 'image') parts.push(imagePart(c, `${field}.content[${ci}]`));
        });
        return;
      }
    }
  });
  return { role: message.role === 'assistant' ? 'model' : 'user', parts };
}

function toolsOf(tools: ToolDefinition[]): GeminiRequestBody['tools'] {
  return [{
    functionDeclarations: tools.map((t, i) => {
      const decl: { name: string; description?: string; parameters?: Record<string, unknown> } = { name: t.name };
      if (t.description) decl.description = t.description;
      const params = cleanGeminiSchema(t.parameters, `tools[${i}].parameters`);
      if (!isEmptyObjectSchema(params)) decl.parameters = params;
      return decl;
    }),
  }];
}

function toolConfigOf(choice: ToolChoice): GeminiRequestBody['toolConfig'] {
  switch (choice.type) {
    case 'auto': return { functionCallingConfig: { mode: 'AUTO' } };
    case 'none': return { functionCallingConfig: { mode: 'NONE' } };
    case 'required': return { functionCallingConfig: { mode: 'ANY' } };
    case 'tool': return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
}

function responseFormatOf(format: ResponseFormat): Record<string, unknown> {
  switch (format.type) {
    case 'text': return {};
    case 'json_object': return { responseMimeType: 'application/json' };
    case 'json_schema':
      return { responseMimeType: 'application/json', responseSchema: cleanGeminiSchema(format.schema, 'response_format.json_schema.schema') };
  }
}

function generationConfigOf(req: CanonicalRequest): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  if (req.n !== undefined && req.n > 1) {
    if (req.stream) throw unsupportedField('n', 'gemini', 'n > 1 is honoured only without stream (one candidate per streamed response)');
    cfg.candidateCount = req.n;
  }
  if (req.max_tokens !== undefined) cfg.maxOutputTokens = req.max_tokens;
  if (req.temperature !== undefined) cfg.temperature = req.temperature;
  if (req.top_p !== undefined) cfg.topP = req.top_p;
  if (req.top_k !== undefined) cfg.topK = req.top_k;
  if (req.stop?.length) cfg.stopSequences = req.stop;
  if (req.seed !== undefined) cfg.seed = req.seed;
  if (req.presence_penalty !== undefined) cfg.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty !== undefined) cfg.frequencyPenalty = req.frequency_penalty;
  if (req.response_format) Object.assign(cfg, responseFormatOf(req.response_format));
  if (req.thinking) cfg.thinkingConfig = { thinkingBudget: req.thinking.budget_tokens, includeThoughts: true };
  else if (req.reasoning_effort) cfg.thinkingConfig = { thinkingBudget: REASONING_BUDGET[req.reasoning_effort], includeThoughts: true };
  return cfg;
}

/** Tool call id → function name, from every assistant tool call in the conversation. */
function toolNamesOf(messages: CanonicalMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of messages) for (const p of m.content) if (p.type === 'tool_call') names.set(p.id, p.name);
  return names;
}

export function buildGeminiRequest(req: CanonicalRequest, upstreamModel: string): GeminiRequestBody {
  const toolNames = toolNamesOf(req.messages);
  const signatureFallback = /gemini-3/i.test(upstreamModel);
  const body: GeminiRequestBody = {
    contents: req.messages
      .map((m, i) => contentOf(m, i, toolNames, signatureFallback && m.role === 'assistant'))
      .filter((c) => c.parts.length > 0),
  };
  const system = req.system.map((p) => p.text).filter((t) => t !== '');
  if (system.length) body.systemInstruction = { parts: system.map((text) => ({ text })) };
  if (req.tools?.length) body.tools = toolsOf(req.tools);
  if (req.tool_choice && (req.tools?.length || req.tool_choice.type === 'none')) body.toolConfig = toolConfigOf(req.tool_choice);
  const generationConfig = generationConfigOf(req);
  if (Object.keys(generationConfig).length) body.generationConfig = generationConfig;
  return body;
}

/** Gemini's countTokens body: the generation request it would count, wrapped as the API wants it. */
export function buildGeminiCountBody(req: CanonicalRequest, upstreamModel: string): Record<string, unknown> {
  const { generationConfig: _config, toolConfig: _tools, ...counted } = buildGeminiRequest({ ...req, stream: false }, upstreamModel);
  return counted;
}

/** The totalTokens of a countTokens answer. */
export function parseGeminiTokenCount(text: string): number {
  const n = (JSON.parse(text) as { totalTokens?: unknown }).totalTokens;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('countTokens answer without an integer totalTokens');
  return n;
}

/** `models/<name>` path segment; tuned models already carry their collection prefix. */
export const modelPath = (model: string): string => (model.includes('/') ? model : `models/${model}`);

export interface GeminiBatchEmbedBody {
  requests: Array<{ model: string; content: { parts: Array<{ text: string }> }; outputDimensionality?: number }>;
}

export function buildGeminiEmbeddingsRequest(req: CanonicalEmbeddingsRequest, upstreamModel: string): GeminiBatchEmbedBody {
  const model = modelPath(upstreamModel);
  return {
    requests: req.input.map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(req.dimensions !== undefined ? { outputDimensionality: req.dimensions } : {}),
    })),
  };
}
