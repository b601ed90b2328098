import { own } from '@gatehouse/contracts';

type Issue = { code: 'custom'; path: (string | number)[]; message: string };
type Entry = { provider?: string; group?: string };

/**
 * Every target names a configured provider or another model alias (a nested group); a chain of
 * groups that comes back to a model it started from is a cycle. Issues name the path of the target.
 */
export function targetIssues(models: Record<string, { targets: Entry[] }>, providers: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const [name, model] of Object.entries(models)) {
    model.targets.forEach((t, i) => {
      if (t.provider !== undefined && !own(providers, t.provider)) {
        issues.push({ code: 'custom', path: ['models', name, 'targets', i, 'provider'], message: `unknown provider "${t.provider}" (configured: ${Object.keys(providers).join(', ') || 'none'})` });
      }
      if (t.group !== undefined && !own(models, t.group)) {
        issues.push({ code: 'custom', path: ['models', name, 'targets', i, 'group'], message: `unknown model alias "${t.group}" (configured: ${Object.keys(models).join(', ')})` });
      }
    });
  }
  const done = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    if (done.has(name)) return;
    const model = own(models, name);
    if (!model) return;
    model.targets.forEach((t, i) => {
      if (t.group === undefined) return;
      const at = t.group === name ? -1 : chain.indexOf(t.group);
      if (at >= 0 || t.group === name) {
        const loop = [...(at >= 0 ? chain.slice(at) : []), name, t.group].join(' → ');
        issues.push({ code: 'custom', path: ['models', name, 'targets', i, 'group'], message: `nested groups form a cycle (${loop})` });
        return;
      }
      visit(t.group, [...chain, name]);
    });
    done.add(name);
  };
  for (const name of Object.keys(models)) visit(name, []);
  return issues;
}
