/** Public surface of libs/formats: the canonical model and the OpenAI (Chat Completions, Responses) and Anthropic client codecs. */
export * from './canonical';
export * from './anthropic/error';
export * from './anthropic/messages-request';
export * from './anthropic/messages-response';
export * from './anthropic/messages-stream';
export * from './openai/chat-request';
export * from './openai/chat-response';
export * from './openai/chat-stream';
export * from './openai/embeddings';
export * from './openai/error';
export * from './openai/responses-request';
export * from './openai/responses-response';
export * from './openai/responses-stream';
