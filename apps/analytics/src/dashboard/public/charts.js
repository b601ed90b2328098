'use strict';
/* Tiny inline-SVG charts (no external library: the dashboard works offline). */
(function () {
  const NS = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#3867d6', '#20bf6b', '#f7b731', '#eb3b5a', '#8854d0', '#0fb9b1', '#fa8231', '#4b6584', '#a5b1c2', '#2d98da'];
  const color = (i) => PALETTE[i % PALETTE.length];

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, value, anchor) {
    const t = el('text', { x, y, 'text-anchor': anchor || 'start' }, parent);
    t.textContent = value;
    return t;
  }
  function fmt(n) {
    if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
    if (n >= 1e3) return (n / 1e3).toFixed(1) + 'k';
    return n >= 10 || n === 0 ? String(Math.round(n)) : n.toPrecision(2);
  }
  function empty(container) {
    container.textContent = '';
    const p = document.createElement('div');
    p.className = 'empty';
    p.textContent = 'No data in this range.';
    container.appendChild(p);
  }
  function legend(container, names) {
    const box = document.createElement('div');
    box.className = 'legend';
    names.forEach((n, i) => {
      const item = document.createElement('span');
      const sw = document.createElement('i');
      sw.style.background = color(i);
      item.appendChild(sw);
      item.appendChild(document.createTextNode(n || '(none)'));
      box.appendChild(item);
    });
    container.appendChild(box);
  }

  /** Stacked columns: categories on x, one series per name. data: { categories, series: [{ name, values }] } */
  function stacked(container, data) {
    container.textContent = '';
    if (!data.categories.length) return empty(container);
    const W = 560, H = 220, L = 44, B = 28, T = 8;
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img' }, container);
    const totals = data.categories.map((_, i) => data.series.reduce((s, se) => s + (se.values[i] || 0), 0));
    const max = Math.max(1, ...totals);
    const bw = (W - L - 8) / data.categories.length;
    for (let g = 0; g <= 4; g++) {
      const y = T + (H - T - B) * (1 - g / 4);
      el('line', { x1: L, x2: W, y1: y, y2: y, stroke: '#e3e6ee' }, svg);
      text(svg, L - 4, y + 4, fmt((max * g) / 4), 'end');
    }
    data.categories.forEach((c, i) => {
      let acc = 0;
      data.series.forEach((se, s) => {
        const v = se.values[i] || 0;
        if (!v) return;
        const h = ((H - T - B) * v) / max;
        const y = H - B - ((H - T - B) * acc) / max - h;
        const r = el('rect', { x: L + i * bw + 2, y, width: Math.max(1, bw - 4), height: h, fill: color(s) }, svg);
        el('title', {}, r).textContent = `${c} · ${se.name || '(none)'}: ${v}`;
        acc += v;
      });
      if (data.categories.length <= 16 || i % Math.ceil(data.categories.length / 16) === 0) text(svg, L + i * bw + bw / 2, H - 10, c, 'middle');
    });
    legend(container, data.series.map((s) => s.name));
  }

  /** Horizontal bars: rows [{ label, value }] */
  function bars(container, rows, unit) {
    container.textContent = '';
    if (!rows.length) return empty(container);
    const W = 560, rowH = 22, L = 150, H = rows.length * rowH + 8;
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img' }, container);
    const max = Math.max(...rows.map((r) => r.value), 1e-9);
    rows.forEach((r, i) => {
      const y = 4 + i * rowH;
      text(svg, L - 6, y + 14, (r.label || '(none)').slice(0, 24), 'end');
      const w = ((W - L - 80) * r.value) / max;
      const rect = el('rect', { x: L, y: y + 3, width: Math.max(1, w), height: rowH - 8, fill: color(i) }, svg);
      el('title', {}, rect).textContent = `${r.label}: ${r.value}`;
      text(svg, L + w + 6, y + 14, `${fmt(r.value)}${unit || ''}`);
    });
  }

  /** Grouped bars: groups [{ label, values: [..] }] with series names. */
  function grouped(container, groups, names) {
    container.textContent = '';
    if (!groups.length) return empty(container);
    const W = 560, H = 220, L = 44, B = 28, T = 8;
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img' }, container);
    const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v || 0)));
    const gw = (W - L - 8) / groups.length;
    const bw = Math.max(2, (gw - 8) / names.length);
    for (let g = 0; g <= 4; g++) {
      const y = T + (H - T - B) * (1 - g / 4);
      el('line', { x1: L, x2: W, y1: y, y2: y, stroke: '#e3e6ee' }, svg);
      text(svg, L - 4, y + 4, fmt((max * g) / 4), 'end');
    }
    groups.forEach((g, i) => {
      g.values.forEach((v, s) => {
        if (v === null || v === undefined) return;
        const h = ((H - T - B) * v) / max;
        const r = el('rect', { x: L + i * gw + 4 + s * bw, y: H - B - h, width: bw - 1, height: h, fill: color(s) }, svg);
        el('title', {}, r).textContent = `${g.label} · ${names[s]}: ${v}`;
      });
      text(svg, L + i * gw + gw / 2, H - 10, (g.label || '(none)').slice(0, 18), 'middle');
    });
    legend(container, names);
  }

  window.GatehouseCharts = { stacked, bars, grouped };
})();
