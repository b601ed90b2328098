import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Check } from '@gatehouse/contracts';
import { PolicyCompileError, type CheckFactory, type CheckVerdict, type GuardCheck } from '../check';

type JsonSchemaConfig = Extract<Check, { type: 'json_schema' }>;

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);

/**
 * Output only: every output text must be valid JSON (a ```json fenced block is unwrapped) that
 * matches `schema`. The schema is compiled once per policy version. Needs the whole text, so on
 * streams it runs when the stream ends.
 */
export const createJsonSchemaCheck: CheckFactory<'json_schema'> = (config: JsonSchemaConfig): GuardCheck => {
  let validate: ReturnType<Ajv['compile']>;
  try {
    validate = ajv.compile(config.schema);
  } catch (err) {
    throw new PolicyCompileError('schema', `invalid JSON schema: ${(err as Error).message}`);
  }
  return {
    config,
    windowed: false,
    evaluate(input): CheckVerdict {
      if (input.stage !== 'output') return { pass: true, score: null, spans: [], details: [] };
      const details: string[] = [];
      for (const raw of input.texts) {
        const text = raw.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/, '$1');
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          details.push('invalid_json');
          continue;
        }
        if (!validate(value)) {
          const e = validate.errors?.[0];
          details.push(`schema:${e?.instancePath || '/'} ${e?.message ?? 'invalid'}`);
        }
      }
      return { pass: details.length === 0, score: null, spans: [], details };
    },
  };
};
