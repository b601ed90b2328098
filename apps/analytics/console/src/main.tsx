import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { resumeSso, session, signIn, signInOptions, signOut, type Role } from './api';
import { navigate, useQuery } from './router';
import { Failure } from './ui';
import { AnalyticsView } from './views/analytics';
import { KeysView } from './views/keys';
import { PoliciesView } from './views/policies';
import { TargetsView } from './views/targets';
import { TeamsView } from './views/teams';
import { TracesView } from './views/traces';
import './style.css';

interface View {
  id: string;
  title: string;
  admin: boolean;
  /** Only for the admin role (a team-admin manages its teams' keys, teams and policies, not the gateway's targets). */
  adminOnly?: boolean;
  render: (q: URLSearchParams) => preact.JSX.Element;
}

const VIEWS: View[] = [
  { id: 'analytics', title: 'Analytics', admin: false, render: (q) => <AnalyticsView q={q} /> },
  { id: 'traces', title: 'Traces', admin: false, render: (q) => <TracesView q={q} /> },
  { id: 'keys', title: 'Keys', admin: true, render: () => <KeysView /> },
  { id: 'teams', title: 'Teams', admin: true, render: () => <TeamsView /> },
  { id: 'policies', title: 'Policies', admin: true, render: (q) => <PoliciesView q={q} /> },
  { id: 'targets', title: 'Targets', admin: true, adminOnly: true, render: () => <TargetsView /> },
];

function SignIn(props: { onDone: (role: Role) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<Error | null>(null);
  const [sso, setSso] = useState(false);
  useEffect(() => {
    void signInOptions().then(async (o) => {
      const role = o.session ? await resumeSso() : null;
      if (role) props.onDone(role);
      else setSso(o.oidc);
    }, () => undefined);
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      props.onDone(await signIn(token.trim()));
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <main class="signin">
      <form onSubmit={submit} autocomplete="off">
        <h1>Gatehouse console</h1>
        {sso && (
          <p>
            <a class="button" id="signin-sso" href="/auth/oidc/login?redirect=/console">Sign in with SSO</a>
          </p>
        )}
        <p>Sign in with the admin token, a service token, or a team key that has <code>analytics: true</code> (it sees its own team only). The token is kept in this tab's session storage only.</p>
        <label>
          Token <input id="signin-token" type="password" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} required autoFocus />
        </label>
        <button type="submit" id="signin-submit">Sign in</button>
        {error && <Failure error={error} />}
      </form>
    </main>
  );
}

function App() {
  const q = useQuery();
  const [role, setRole] = useState<Role | null>(() => session()?.role ?? null);
  if (!role) return <SignIn onDone={setRole} />;
  const views = VIEWS.filter((v) => role === 'admin' || (role === 'team-admin' ? !v.adminOnly : !v.admin));
  const current = views.find((v) => v.id === q.get('view')) ?? views[0];
  // Filters and range carry over between the analytics and trace views; management views start clean.
  const carry = (id: string) => {
    const next = new URLSearchParams(current.admin ? '' : q.toString());
    for (const k of ['trace', 'cursor', 'stack']) next.delete(k);
    next.set('view', id);
    return next;
  };
  return (
    <div class="shell">
      <header>
        <span class="brand">Gatehouse</span>
        <nav>
          {views.map((v) => (
            <a href={`/console?${carry(v.id)}`} class={v === current ? 'on' : ''} aria-current={v === current ? 'page' : undefined} onClick={(e) => { e.preventDefault(); navigate(carry(v.id)); }}>
              {v.title}
            </a>
          ))}
        </nav>
        <span class="who" id="who" title={session()?.actor}>{role === 'admin' ? 'admin' : `${role} ${(session()?.teams ?? []).join(', ')}`}</span>
        <button type="button" id="signout" onClick={() => void signOut().then(() => setRole(null))}>Sign out</button>
      </header>
      <main>{current.render(q)}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
