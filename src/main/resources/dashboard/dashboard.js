// The run dashboard: reads /api/runs and /api/runs/{id}, draws the loss curve and the score as SVG, and posts
// resumes and single-stage runs. API data goes into the page only as text nodes and attribute values, never as
// markup: stage outputs carry user strings (paths, repo names, error messages).
'use strict';

(() => {
  const REFRESH_MS = 3000;
  const TOKEN_KEY = 'sn37.apiToken';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  let selected = null;       // id of the run shown on the right
  let runsShown = null;      // JSON text of the rows last drawn, to redraw only on change
  let detailShown = null;    // JSON text of the run last drawn
  const openOutputs = new Set(); // "stage#attempt" of the outputs a person has unfolded

  class ApiError extends Error {
    constructor(title, detail) {
      super(title);
      this.detail = detail;
    }
  }

  // ---- DOM helpers: every value becomes a text node or an attribute ----

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, v);
    for (const c of children) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(status) {
    return el('span', { class: 'badge s-' + status }, status);
  }

  const pad = (n) => String(n).padStart(2, '0');

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
      + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  function took(seconds) {
    if (seconds === undefined || seconds === null || !isFinite(seconds)) return '';
    if (seconds < 60) return seconds.toFixed(seconds < 10 ? 2 : 1) + ' s';
    const s = Math.round(seconds);
    if (s < 3600) return `${Math.floor(s / 60)} m ${s % 60} s`;
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
  }

  function runTook(run) {
    if (!run.startedAt) return '';
    const end = run.endedAt ? new Date(run.endedAt) : new Date();
    return took((end - new Date(run.startedAt)) / 1000) + (run.endedAt ? '' : ' …');
  }

  // JSON has no infinity: the server writes an unscorable model's metric as the string "Infinity".
  function num(v) {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^-?Infinity$|^NaN$/.test(v)) return Number(v);
    return null;
  }

  const fmt = (v) => (isFinite(v) ? Number(v).toPrecision(4) : String(v));

  // ---- API ----

  async function api(method, path, body) {
    // the token goes with reads too; a POST says it is JSON and carries the header a cross-site form cannot send
    const headers = { Accept: 'application/json' };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    if (method === 'POST') {
      headers['Content-Type'] = 'application/json';
      headers['X-Miner-Request'] = '1';
    }
    let res;
    try {
      res = await fetch(path, { method, headers, body });
    } catch (e) {
      throw new ApiError('server unreachable', String(e.message || e));
    }
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (!res.ok) {
      const title = (data && data.error) || `HTTP ${res.status}`;
      let detail = (data && data.detail) || text.slice(0, 300);
      if (res.status === 401) detail += ' (enter the API token at the top right)';
      throw new ApiError(title, detail);
    }
    return data;
  }

  function showError(e, source) {
    $('error-title').textContent = e.message;
    $('error-detail').textContent = e.detail || '';
    $('error').dataset.source = source;
    $('error').hidden = false;
  }

  function clearError(source) {
    if (!source || $('error').dataset.source === source) $('error').hidden = true;
  }

  // ---- run list ----

  async function refreshRuns() {
    const q = new URLSearchParams({ limit: $('limit').value });
    if ($('status-filter').value) q.set('status', $('status-filter').value);
    const data = await api('GET', '/api/runs?' + q);
    const text = JSON.stringify(data.runs) + selected;
    if (text !== runsShown) {
      runsShown = text;
      drawRuns(data.runs);
    }
    $('refreshed').textContent = 'updated ' + when(new Date().toISOString()).slice(11);
  }

  function drawRuns(runs) {
    $('runs').tBodies[0].replaceChildren(...runs.map((r) => {
      const row = el('tr', { 'data-run-id': r.id, class: r.id === selected ? 'selected' : null, tabindex: '0' },
        el('td', { class: 'id', title: r.id }, el('code', {}, r.id.slice(0, 8))),
        el('td', {}, r.kind),
        el('td', { class: 'status' }, badge(r.status)),
        el('td', { class: 'num' }, r.attempt),
        el('td', {}, r.trigger),
        el('td', { title: when(r.createdAt) }, when(r.createdAt).slice(5)),
        el('td', { class: 'num' }, runTook(r)));
      if (r.failedStage) row.title = `failed in ${r.failedStage}: ${r.lastError || ''}`;
      row.addEventListener('click', () => select(r.id));
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(r.id); });
      return row;
    }));
    $('no-runs').hidden = runs.length > 0;
  }

  // ---- one run ----

  function select(id) {
    selected = id;
    detailShown = null;
    openOutputs.clear();
    $('resume-result').textContent = '';
    history.replaceState(null, '', '#run=' + encodeURIComponent(id));
    for (const row of $('runs').tBodies[0].rows) row.classList.toggle('selected', row.dataset.runId === id);
    refreshDetail().catch((e) => showError(e, 'detail'));
  }

  async function refreshDetail() {
    if (!selected) return;
    const run = await api('GET', '/api/runs/' + encodeURIComponent(selected));
    const text = JSON.stringify(run);
    if (text === detailShown) return;
    detailShown = text;
    drawDetail(run);
  }

  function latestOutputs(run, stage) {
    const rows = (run.stages || []).filter((s) => s.stage === stage && s.outputs);
    return rows.length ? rows[rows.length - 1].outputs : null;
  }

  function drawDetail(run) {
    $('detail-empty').hidden = true;
    $('detail-body').hidden = false;
    $('run-id').textContent = run.id;
    $('run-status').replaceWith(Object.assign(badge(run.status), { id: 'run-status' }));
    $('resume').hidden = !(run.status === 'FAILED' || run.status === 'CANCELLED');
    $('resume').disabled = false;

    const facts = [['kind', run.kind], ['attempt', run.attempt], ['trigger', run.trigger], ['key', run.runKey],
      ['created', when(run.createdAt)], ['started', when(run.startedAt)], ['ended', when(run.endedAt)],
      ['took', runTook(run)], ['failed stage', run.failedStage], ['auto retries', run.autoRetries || null],
      ['next retry', when(run.nextRetryAt)]];
    const items = facts.filter(([, v]) => v !== undefined && v !== null && v !== '')
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]);
    if (run.params) {
      items.push(el('dt', {}, 'parameters'), el('dd', {}, foldable('params', `${Object.keys(run.params).length} values`,
        run.params)));
    }
    $('run-facts').replaceChildren(...items);
    $('run-error').hidden = !run.lastError;
    $('run-error').textContent = run.lastError || '';

    $('stages').tBodies[0].replaceChildren(...(run.stages || []).flatMap(stageRows));
    const train = latestOutputs(run, 'train');
    const losses = train && Array.isArray(train.stepLosses) ? train.stepLosses.map(num) : [];
    const evaluate = latestOutputs(run, 'evaluate');
    const gate = latestOutputs(run, 'gate');
    $('charts').hidden = !losses.length && !evaluate && !gate;
    drawLoss(losses);
    drawScore(evaluate, gate, run.params);
  }

  // JSON folded under a summary; stays open across refreshes once a person opens it
  function foldable(key, summary, value) {
    const details = el('details', {}, el('summary', {}, summary), el('pre', {}, JSON.stringify(value, null, 2)));
    details.open = openOutputs.has(key);
    details.addEventListener('toggle', () => (details.open ? openOutputs.add(key) : openOutputs.delete(key)));
    return details;
  }

  function stageRows(s) {
    const key = `${s.stage}#${s.attempt}`;
    const fields = s.outputs ? Object.keys(s.outputs).length : 0;
    const outputs = s.outputs ? foldable(key, fields === 1 ? '1 field' : `${fields} fields`, s.outputs) : '';
    const rows = [el('tr', { 'data-stage': s.stage },
      el('td', {}, s.stage), el('td', { class: 'num' }, s.attempt), el('td', { class: 'status' }, badge(s.status)),
      el('td', {}, when(s.startedAt)), el('td', {}, when(s.endedAt)), el('td', { class: 'num' }, took(s.seconds)),
      el('td', {}, outputs))];
    if (s.error) rows.push(el('tr', { class: 'stage-error' }, el('td', { colspan: '7' }, s.error)));
    return rows;
  }

  // ---- charts ----

  function drawLoss(losses) {
    const box = $('loss-chart');
    if (!losses.length) {
      box.replaceChildren(el('p', { class: 'muted' }, 'No training loss recorded for this run.'));
      $('loss-summary').textContent = '';
      return;
    }
    const W = 520, H = 220, L = 52, R = 14, T = 12, B = 30;
    const ok = (v) => v !== null && isFinite(v);
    const finite = losses.filter(ok);
    let lo = Math.min(...finite), hi = Math.max(...finite);
    if (!finite.length) { lo = 0; hi = 1; }
    if (lo === hi) { lo -= Math.abs(lo) * 0.1 || 0.5; hi += Math.abs(hi) * 0.1 || 0.5; }
    const span = hi - lo;
    lo -= span * 0.05;
    hi += span * 0.05;
    const n = losses.length;
    const x = (i) => L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
    const y = (v) => T + ((hi - Math.min(hi, Math.max(lo, v))) * (H - T - B)) / (hi - lo);

    const plot = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'loss', role: 'img',
      'aria-label': `training loss over ${n} steps` });
    for (let k = 0; k <= 4; k++) {
      const v = lo + ((hi - lo) * k) / 4;
      plot.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
        svg('text', { x: L - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, v.toPrecision(3)));
    }
    const ticks = [...new Set([0, Math.floor((n - 1) / 2), n - 1])];
    for (const i of ticks) {
      plot.append(svg('text', { x: x(i), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, String(i + 1)));
    }
    plot.append(svg('text', { x: W - R, y: H - 2, class: 'axis', 'text-anchor': 'end' }, 'optimizer step'));
    const pts = losses.map((v, i) => [x(i), y(ok(v) ? v : hi)]);
    plot.append(svg('polyline', { points: pts.map((p) => p.join(',')).join(' '), class: 'line' }));
    const r = n > 200 ? 1.2 : n > 60 ? 2 : 3;
    losses.forEach((v, i) => {
      const dot = svg('circle', { cx: pts[i][0], cy: pts[i][1], r, class: 'pt', 'data-step': i + 1 });
      dot.append(svg('title', {}, `step ${i + 1}: loss ${ok(v) ? fmt(v) : 'not a number'}`));
      plot.append(dot);
    });
    box.replaceChildren(plot);
    const last = losses[n - 1];
    $('loss-summary').textContent = `${n} step${n === 1 ? '' : 's'}, last ${ok(last) ? fmt(last) : 'not a number'}`;
  }

  function drawScore(evaluate, gate, params) {
    const metric = num(evaluate ? evaluate.metric : gate ? gate.metric : undefined);
    const threshold = num(gate ? gate.threshold : params ? params.avg_loss_upload_threshold : undefined);
    const incumbent = num(evaluate ? evaluate.incumbentMetric : undefined);
    $('score-value').textContent = metric === null ? '–' : fmt(metric);
    const verdict = $('gate-verdict');
    verdict.className = gate ? (gate.passed ? 'badge s-SUCCEEDED' : 'badge s-REJECTED') : '';
    verdict.textContent = gate ? (gate.passed ? 'gate passed' : 'gate rejected') : '';
    $('gate-reason').textContent = gate && gate.reason ? gate.reason : '';
    // each task's raw score, weight and samples, or why it was not scored
    $('score-tasks').replaceChildren(...((evaluate && evaluate.tasks) || []).map((t) => el('li', {},
      t.raw === null || t.raw === undefined
        ? `${t.name}: not scored (weight ${t.weight}): ${t.skipped || 'no reason recorded'}`
        : `${t.name}: ${fmt(num(t.raw))} (weight ${t.weight}, ${t.samples} samples)`)));
    const box = $('score-chart');
    if (metric === null) {
      box.replaceChildren();
      return;
    }
    const bars = [['ours', metric, gate ? (gate.passed ? 'pass' : 'fail') : 'ours']];
    if (incumbent !== null) bars.push(['incumbent', incumbent, 'incumbent']);
    const scale = Math.max(...[...bars.map((b) => b[1]), threshold || 0].filter(isFinite), 1e-9) * 1.15;
    const W = 300, L = 66, R = 58, rowH = 26, T = 6, H = T + bars.length * rowH + 20;
    const x = (v) => L + (Math.min(v, scale) / scale) * (W - L - R);
    const plot = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'scores', role: 'img', 'aria-label': 'evaluation score' });
    bars.forEach(([label, v, cls], i) => {
      const top = T + i * rowH;
      plot.append(svg('text', { x: L - 8, y: top + 15, class: 'tick', 'text-anchor': 'end' }, label),
        svg('rect', { x: L, y: top + 3, width: Math.max(1, x(v) - L), height: rowH - 10, class: 'bar ' + cls }),
        valueLabel(x(v), top + 15, x(v) - L > 60, isFinite(v) ? fmt(v) : 'not evaluated'));
    });
    if (threshold !== null && threshold > 0) {
      plot.append(svg('line', { x1: x(threshold), x2: x(threshold), y1: T - 4, y2: H - 18, class: 'threshold' }),
        svg('text', { x: x(threshold), y: H - 4, class: 'tick', 'text-anchor': 'middle' },
          'threshold ' + fmt(threshold)));
    }
    box.replaceChildren(plot);
  }

  // inside the end of a long bar, after a short one
  function valueLabel(end, y, inside, text) {
    return svg('text', { x: inside ? end - 5 : end + 5, y, class: inside ? 'value inside' : 'value',
      'text-anchor': inside ? 'end' : 'start' }, text);
  }

  // ---- actions ----

  async function resume() {
    const id = selected;
    $('resume').disabled = true;
    try {
      const r = await api('POST', '/api/runs/' + encodeURIComponent(id) + '/resume');
      clearError();
      $('resume-result').textContent = `attempt ${r.attempt} ${r.status}`;
      detailShown = null;
      await Promise.all([refreshRuns(), refreshDetail()]);
    } catch (e) {
      $('resume').disabled = false;
      showError(e, 'action');
    }
  }

  async function runStage(event) {
    event.preventDefault();
    const stage = $('stage-name').value;
    const body = $('stage-params').value.trim() || '{}';
    try {
      const r = await api('POST', '/api/stages/' + encodeURIComponent(stage), body);
      clearError();
      $('stage-result').textContent = `${stage}: run ${r.runId.slice(0, 8)} ${r.status}`;
      select(r.runId);
      await refreshRuns();
    } catch (e) {
      showError(e, 'action');
    }
  }

  async function tick() {
    if (document.hidden) return;
    try {
      await refreshRuns();
      await refreshDetail();
      clearError('refresh');
    } catch (e) {
      showError(e, 'refresh');
    }
  }

  function start() {
    const token = $('token');
    token.value = sessionStorage.getItem(TOKEN_KEY) || '';
    token.addEventListener('input', () => {
      if (token.value) sessionStorage.setItem(TOKEN_KEY, token.value);
      else sessionStorage.removeItem(TOKEN_KEY);
      runsShown = null;
      tick(); // reads need the token too: show the runs as soon as it is there
    });
    $('error-close').addEventListener('click', () => clearError());
    $('resume').addEventListener('click', resume);
    $('stage-form').addEventListener('submit', runStage);
    $('filters').addEventListener('change', () => { runsShown = null; tick(); });
    const m = /^#run=(.+)$/.exec(location.hash);
    if (m) select(decodeURIComponent(m[1]));
    tick();
    setInterval(tick, REFRESH_MS);
  }

  start();
})();
