/**
 * The prompt-injection detector's rules. Each rule has an id (reported in verdict details) and a
 * weight in (0, 1); a text's score is the noisy-OR of the weights of the distinct rules that
 * matched: 1 - Π(1 - w). One strong rule (≥ 0.7) reaches the default threshold alone; two
 * weaker ones together usually do. See prompt-injection.md.
 *
 * Linear by construction: every quantifier in these rules is bounded (`{0,40}`, `\s{0,16}`, no
 * `*` or `+` over more than a fixed word), so the work the regex engine does per start position is
 * bounded by a constant whatever the input (adversarial-inputs.spec.ts checks 1 MB inputs). Where
 * that constant was large on runs of one character, a rule starts with a cheap test: the delimiter
 * rule matches the phrase after a lookbehind for the delimiter (first letter checked before it), and
 * role spoofing starts at a line break followed by blanks only.
 */
export interface InjectionRule {
  readonly id: string;
  readonly weight: number;
  readonly re: RegExp;
  /**
   * The prefilter: 3- or 5-character strings, lower-case with digits written `0`, one of which
   * every match contains (after folding whitespace runs to one space); the regex runs only on
   * texts where one occurs (features.ts finds them in its n-gram pass).
   */
  readonly anchors: readonly string[];
}

const IGNORE = String.raw`(?:[i1!|]gn[o0]r[e3]|d[i1]sr[e3]g[a4@]rd|f[o0]rg[e3]t|[o0]v[e3]rr[i1]d[e3]|bypass|set aside|throw away|abandon|drop)`;
const PRIOR = String.raw`(?:previous|prior|above|earlier|preceding|initial|original|foregoing|former|system|developer|all(?: of)?(?: the| your| my)?|any|every)`;
const RULES = String.raw`(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|restrictions|programming|commands|orders|system prompt|safety (?:rules|guidelines|policies))`;

export const INJECTION_RULES: readonly InjectionRule[] = [
  { id: 'override', weight: 0.85, anchors: ['gnore', 'gn0re', 'gnor0', 'gn0r0', 'isr', '0sr', 'orget', '0rget', 'org0t', '0rg0t', 'verri', 'v0rri', 'verr0', 'v0rr0', 'bypas', 'aside', 'w awa', 'aband', 'dro'], re: new RegExp(String.raw`\b${IGNORE}\b(?:[^.!?\n]{0,40}?)\b${PRIOR}\b(?:[^.!?\n]{0,30}?)\b${RULES}`, 'i') },
  { id: 'override_everything', weight: 0.75, anchors: ['gnore', 'gn0re', 'gnor0', 'gn0r0', 'isr', '0sr', 'orget', '0rget', 'org0t', '0rg0t', 'verri', 'v0rri', 'verr0', 'v0rr0', 'bypas', 'aside', 'w awa', 'aband', 'dro'], re: new RegExp(String.raw`\b${IGNORE}\s{1,16}(?:everything|all)\s{1,16}(?:above|before|previously|you(?:'ve| have) been told|that came before)`, 'i') },
  { id: 'new_instructions', weight: 0.5, anchors: ['ructi', 'now o', 'r new', 'r rea', 'r tru'], re: /\b(?:new|updated|real|actual|true) (?:system )?instructions?\s{0,16}(?::|are\b|follow)|\bfrom now on,? (?:you (?:are|will|must|shall|should)|act|respond|answer|only)|\byour (?:new|real|true) (?:task|purpose|goal|instructions?|role) (?:is|are)\b/i },
  { id: 'dont_follow', weight: 0.7, anchors: ['t fol', 'p fol', 'r fol', 't obe', 'p obe', 'r obe', 't adh', 'p adh', 'r adh', 't com', 'p com', 'r com'], re: /\b(?:do not|don't|stop|never) (?:follow(?:ing)?|obey(?:ing)?|adher(?:e|ing) to|comply(?:ing)? with) (?:your|the|any|those|these) (?:previous |prior |original |system )?(?:instructions|rules|guidelines|programming|policies|system prompt)/i },
  { id: 'dan', weight: 0.85, anchors: ['dan', 'g now', 'jailb', 'r mod', 'd mod', 'o mod', 'k mod'], re: /\bDAN\b(?=[^\n]{0,80}\b(?:do anything|mode|jailbr|stands for))|\bdo anything now\b|\bjailbr(?:eak|oken)(?: mode)?\b(?=[^\n]{0,60}\b(?:enabled|activated|mode|you are|now)\b)|\b(?:developer|god|sudo|unrestricted|unfiltered) mode (?:enabled|activated|on)\b|\benable (?:developer|god|sudo|jailbreak) mode\b/i },
  { id: 'roleplay_unrestricted', weight: 0.75, anchors: ['reten', 'agine', 'act a', 'act l', 'olepl', 'le-pl', 're no', 'ehave'], re: /\b(?:pretend|imagine|act as if|act like|roleplay as|role-play as|you are now|behave as)\b[^.!?\n]{0,60}\b(?:no|without|free (?:of|from)|not bound by|unbound by|ignores?|no longer (?:have|bound by|restricted by))\b[^.!?\n]{0,30}\b(?:restrictions|filters|rules|guidelines|limits|limitations|censorship|ethic(?:s|al guidelines)|morals|policies|content polic(?:y|ies))/i },
  { id: 'no_longer_bound', weight: 0.7, anchors: ['longe', 'e not', 'freed', 'liber', 'broke', 'ethic', 'moral', 'safet'], re: /\byou (?:are|'re) (?:no longer|not) (?:bound|restricted|limited|constrained) by\b|\byou have (?:been )?(?:freed|liberated|broken free)\b|\b(?:without|no) (?:any )?(?:ethical|moral|safety) (?:restrictions|guidelines|constraints|filters)\b/i },
  { id: 'prompt_exfiltration', weight: 0.7, anchors: ['promp', 'messa', 'nitia', 'hidde', 'ructi'], re: /\b(?:reveal|print|show|display|repeat|output|tell me|give me|leak|dump|write out|what (?:is|are|was|were))\b[^.!?\n]{0,30}\b(?:your|the) (?:full |entire |complete |exact |original |hidden |secret |initial ){0,4}(?:system prompt|system message|initial (?:instructions|prompt)|hidden (?:instructions|prompt)|pre-?prompt|instructions (?:you were given|above))/i },
  { id: 'chat_template_tokens', weight: 0.8, anchors: ['<|i', '<|s', '<|e', '[inst', '[/ins', '<<sys', '<</sy', '<syst', '<sys>', '</sys'], re: /<\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:system|sys|system_prompt)>/i },
  { id: 'role_spoofing', weight: 0.5, anchors: ['syste', 'assis', 'devel', 'ructi', 'admin'], re: /(?:^|\n)[ \t]{0,16}(?:#{1,4}\s{0,16})?(?:system|assistant|developer)\s{0,16}(?:\(\w{1,32}\)\s{0,16})?:\s{0,16}\S|(?:^|\n)[ \t]{0,16}#{2,4}\s{0,16}(?:system|instruction|new instructions?|admin)\b/i },
  { id: 'delimiter_escape', weight: 0.55, anchors: [...['o', 'u', 'i', 'p', 'c', 'd', 't'].map((c) => `end ${c}`), ...['new', 'tem', 'min', 'eal'].flatMap((w) => ['i', 'p', 'm'].map((c) => `${w} ${c}`)), 'ignor', 'disre'], re: /(?=[enrsaid])(?<=(?:[\]})>"'`]{3}|-{5}|={5}|#{4}|\*{5})\s{0,16})(?:end (?:of )?(?:user )?(?:input|prompt|context|document|text)|(?:new|system|admin|real) (?:instructions?|prompt|message)|(?:ignore|disregard))/i },
  { id: 'decode_and_execute', weight: 0.5, anchors: ['decod', 'decry', 'base0', 'rot00', 'trans'], re: /\b(?:decode|decrypt|base64[- ]decode|rot13|translate)\b[^.!?\n]{0,40}\b(?:then|and)\s{1,16}(?:follow|execute|run|obey|do|perform|carry out)\b/i },
];

export const ENCODED_RULE = { id: 'encoded_instruction', weight: 0.85 } as const;
export const TAG_CHARS_RULE = { id: 'unicode_tag_smuggling', weight: 0.9 } as const;
export const INVISIBLE_RULE = { id: 'invisible_characters', weight: 0.35 } as const;
export const BIDI_RULE = { id: 'bidi_override', weight: 0.35 } as const;

/** Every rule (a `matchRules` mask). */
export const ALL_RULES = (1 << 12) - 1;

/** Calls `onHit` with the index in INJECTION_RULES and the first match of every rule in `mask` that matches `text`. */
export function matchRules(text: string, onHit: (rule: number, start: number, end: number) => void, mask = ALL_RULES): void {
  for (let r = 0; r < INJECTION_RULES.length; r++) {
    if ((mask & (1 << r)) === 0) continue;
    const m = INJECTION_RULES[r].re.exec(text);
    if (m) onHit(r, m.index, m.index + m[0].length);
  }
}

/** Whether any rule matches `text` (stops at the first that does). */
export function anyRuleMatches(text: string): boolean {
  for (const rule of INJECTION_RULES) if (rule.re.test(text)) return true;
  return false;
}
