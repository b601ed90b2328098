'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'gatehouse.analytics.token';
  const charts = window.GatehouseCharts;
  let nextCursor = null;

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }
  function setStatus(msg, isError) {
    $('status').textContent = msg;
    $('status').className = isError ? 'error' : '';
  }
  function toLocalInput(ms) {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 16);
  }
  function range() {
    const from = $('from').value ? new Date($('from').value).getTime() : Date.now() - 7 * 86400000;
    // The picker has minute precision: a chosen 'to' includes its whole minute; empty means now.
    const to = $('to').value ? new Date($('to').value).getTime() + 59999 : Date.now();
    const p = new URLSearchParams({ from: String(from), to: String(to) });
    if ($('f-team').value.trim()) p.set('team', $('f-team').value.trim());
    if ($('f-model').value.trim()) p.set('model', $('f-model').value.trim());
    return p;
  }
  async function api(path, params) {
    const res = await fetch(`${path}?${params.toString()}`, { headers: { authorization: `Bearer ${token()}` } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((body.error && body.error.message) || `HTTP ${res.status}`);
    return body;
  }

  async function usageByModelPerDay() {
    const days = new Map();
    const models = new Set();
    const base = range();
    base.set('group_by', 'model');
    const byModel = (await api('/analytics/usage', base)).data.filter((m) => m.model).slice(0, 8);
    for (const m of byModel) {
      const p = range();
      p.set('group_by', 'day');
      p.set('model', m.model);
      models.add(m.model);
      for (const row of (await api('/analytics/usage', p)).data) {
        const day = row.day.slice(0, 10);
        if (!days.has(day)) days.set(day, {});
        days.get(day)[m.model] = row.requests;
      }
    }
    const categories = [...days.keys()].sort();
    const names = [...models];
    charts.stacked($('chart-usage'), {
      categories: categories.map((d) => d.slice(5)),
      series: names.map((n) => ({ name: n, values: categories.map((d) => days.get(d)[n] || 0) })),
    });
  }
  async function costByTeam() {
    const p = range();
    p.set('group_by', 'team');
    const rows = (await api('/analytics/usage', p)).data.slice(0, 15);
    charts.bars($('chart-cost'), rows.map((r) => ({ label: r.team, value: r.cost_usd })), ' $');
    const saved = rows.filter((r) => r.cost_saved_usd > 0).sort((a, b) => b.cost_saved_usd - a.cost_saved_usd);
    charts.bars($('chart-saved'), saved.map((r) => ({ label: `${r.team} (${r.cache_hits} hits)`, value: r.cost_saved_usd })), ' $');
  }
  async function latency() {
    const p = range();
    p.set('group_by', 'model');
    const rows = (await api('/analytics/latency', p)).data.slice(0, 10);
    charts.grouped($('chart-latency'), rows.map((r) => ({ label: r.model, values: [r.latency_p50_ms, r.latency_p95_ms, r.latency_p99_ms, r.ttft_p50_ms] })), ['p50', 'p95', 'p99', 'ttft p50']);
  }
  async function guardrails() {
    const rows = (await api('/analytics/guardrails', range())).data.slice(0, 15);
    charts.bars($('chart-guardrails'), rows.map((r) => ({ label: `${r.policy_id} · ${r.check_type} · ${r.action}`, value: r.verdicts })));
  }

  async function traces(cursor) {
    const p = range();
    p.set('limit', '50');
    if ($('t-status').value) p.set('status', $('t-status').value);
    const k = $('t-meta-key').value.trim();
    if (k) p.set(`metadata.${k}`, $('t-meta-value').value);
    if (cursor) p.set('cursor', cursor);
    const page = await api('/analytics/traces', p);
    const body = $('traces').querySelector('tbody');
    body.textContent = '';
    for (const t of page.data) {
      const tr = document.createElement('tr');
      const cells = [new Date(t.ts_start).toLocaleString(), t.request_id, t.team || '', t.model_requested, t.provider || '', t.status,
        Math.round(t.latency_ms), `${t.input_tokens}/${t.output_tokens}`, t.cost_usd === null ? 'unknown' : t.cost_usd.toFixed(6), t.cache_status];
      for (const c of cells) {
        const td = document.createElement('td');
        td.textContent = String(c);
        tr.appendChild(td);
      }
      tr.addEventListener('click', () => detail(t.request_id));
      body.appendChild(tr);
    }
    nextCursor = page.next_cursor;
    $('t-next').disabled = !nextCursor;
  }
  async function detail(id) {
    const pre = $('trace-detail');
    pre.hidden = false;
    pre.textContent = 'loading…';
    try {
      const res = await fetch(`/analytics/traces/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token()}` } });
      pre.textContent = JSON.stringify(await res.json(), null, 2);
    } catch (e) {
      pre.textContent = String(e);
    }
  }

  async function refresh() {
    if (!token()) {
      setStatus('Enter a token to load analytics.', true);
      return;
    }
    setStatus('loading…');
    const results = await Promise.allSettled([usageByModelPerDay(), costByTeam(), latency(), guardrails(), traces(null)]);
    const failed = results.find((r) => r.status === 'rejected');
    setStatus(failed ? failed.reason.message : `updated ${new Date().toLocaleTimeString()}`, !!failed);
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = $('token').value.trim();
    if (v) sessionStorage.setItem(TOKEN_KEY, v);
    $('token').value = '';
    void refresh();
  });
  $('forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setStatus('token forgotten');
  });
  $('refresh').addEventListener('click', () => void refresh());
  $('t-search').addEventListener('click', () => {
    traces(null).catch((e) => setStatus(e.message, true));
  });
  $('t-first').addEventListener('click', () => {
    traces(null).catch((e) => setStatus(e.message, true));
  });
  $('t-next').addEventListener('click', () => {
    if (!nextCursor) return;
    traces(nextCursor).catch((e) => setStatus(e.message, true));
  });
  $('from').value = toLocalInput(Date.now() - 7 * 86400000);
  void refresh();
})();
