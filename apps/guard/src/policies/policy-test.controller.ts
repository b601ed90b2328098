import { Body, Controller, NotFoundException, Param, Post, UseGuards, HttpCode, BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { PolicyBodySchema } from '@gatehouse/contracts';
import { compilePolicies, Placeholders, type EvaluationContext, type EvaluationResult } from '@gatehouse/guardrails';
import { parseOr400 } from '@gatehouse/runtime';
import { AuthzGuard, Requires } from '@gatehouse/auth';
import { policyTeams } from './policy-scopes';
import { PolicyRegistry } from './policy-registry.service';

const SampleSchema = z.object({
  system: z.string().optional(),
  messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant', 'tool']), content: z.string() })).default([]),
  output: z.string().optional(),
  model: z.string().default('*'),
  team: z.string().nullable().default(null),
  key_id: z.string().nullable().default(null),
  max_tokens: z.number().int().positive().optional(),
  /** Evaluate this draft instead of the stored version (nothing is saved). */
  draft: z.unknown().optional(),
}).strict();

/** POST /admin/policies/:id/test: evaluate a policy (stored or draft) against a sample request; no side effects, nothing published. */
@Controller('admin/policies')
@UseGuards(AuthzGuard)
export class PolicyTestController {
  constructor(private readonly registry: PolicyRegistry) {}

  @Post(':id/test')
  @Requires('policies:read', policyTeams)
  @HttpCode(200)
  async test(@Param('id') id: string, @Body() body: unknown) {
    const sample = parseOr400(SampleSchema, body);
    const stored = this.registry.get(id);
    let event = stored;
    if (sample.draft !== undefined) {
      const draft = parseOr400(PolicyBodySchema, { id, ...(sample.draft as object) }, 'draft');
      event = { id, version: (stored?.version ?? 0) + 1, created_at: Date.now(), policy: draft };
    }
    if (!event) throw new NotFoundException({ error: { message: `no policy with id "${id}"`, param: 'id' } });
    const set = compilePolicies([event]);
    const broken = set.get(id)?.compileError;
    if (broken) throw new BadRequestException({ error: { message: broken, param: 'checks' } });
    const ctx: EvaluationContext = {
      requestId: 'policy-test',
      team: sample.team,
      keyId: sample.key_id,
      model: sample.model,
      policyIds: [id],
      maxTokens: sample.max_tokens,
      placeholders: new Placeholders(),
    };
    const inputTexts = [...(sample.system ? [sample.system] : []), ...sample.messages.map((m) => m.content)];
    const input = await set.evaluate('input', inputTexts, ctx);
    const output = sample.output !== undefined ? await set.evaluate('output', [sample.output], ctx) : null;
    return { policy: { id, version: event.version, draft: sample.draft !== undefined }, input: view(input), output: output && view(output) };
  }
}

function view(r: EvaluationResult) {
  return {
    action: r.action,
    summary: r.summary,
    denied: r.denied,
    redacted: r.changed ? r.texts : null,
    verdicts: r.verdicts.map(({ verdict_id: _v, request_id: _r, ts: _t, ...v }) => v),
    deferred: r.deferred.map((d) => ({ policy_id: d.policyId, check_index: d.checkIndex, type: d.config.type, url: d.config.type === 'webhook' ? new URL(d.config.url).origin : null })),
  };
}
