import type { ComponentChildren } from 'preact';
import { ApiError } from './api';

export function Card(props: { title: string; wide?: boolean; id?: string; children: ComponentChildren }) {
  return (
    <section class={`card${props.wide ? ' wide' : ''}`} id={props.id}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** An API error as the user should read it: the message and the field it names. */
export function Failure({ error }: { error: Error }) {
  const param = error instanceof ApiError && error.param ? ` (${error.param})` : '';
  return (
    <p class="error" role="alert">
      {error.message}
      {param}
    </p>
  );
}

export function When(props: { ms: number | null | undefined }) {
  if (props.ms === null || props.ms === undefined) return <span class="muted">—</span>;
  const d = new Date(props.ms);
  return <time dateTime={d.toISOString()}>{d.toLocaleString()}</time>;
}
