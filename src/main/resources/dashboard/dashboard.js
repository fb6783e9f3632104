// The run dashboard: reads /api/runs and /api/runs/{id}, follows the selected run's progress events
// (/api/runs/{id}/progress/stream, Server-Sent Events read with fetch so the API token goes along), draws the loss
// curve and the score as SVG, and posts new runs, resumes and single-stage runs. API data goes into the page only as
// text nodes and attribute values, never as markup: stage outputs carry user strings (paths, repo names, errors).
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
  let shownRun = null;       // the run last drawn on the right
  // the selected run's progress stream: its training steps as [step, loss], the latest event, where to resume
  let live = null;

  class ApiError extends Error {
    constructor(title, detail, status) {
      super(title);
      this.detail = detail;
      this.status = status;
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

  function authHeaders(accept) {
    const headers = { Accept: accept };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    return headers;
  }

  async function api(method, path, body) {
    // the token goes with reads too; a POST says it is JSON and carries the header a cross-site form cannot send
    const headers = authHeaders('application/json');
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
      throw new ApiError(title, detail, res.status);
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
    $('runs').tBodies[0].replaceChildren(...runs.flatMap((r) => {
      const row = el('tr', { 'data-run-id': r.id, class: r.id === selected ? 'selected' : null, tabindex: '0' },
        el('td', { class: 'id', title: r.id }, el('code', {}, r.id.slice(0, 8))),
        el('td', {}, r.kind),
        el('td', { class: 'status' }, badge(r.status)),
        el('td', { class: 'num' }, r.attempt),
        el('td', {}, r.trigger),
        el('td', { title: when(r.createdAt) }, when(r.createdAt).slice(5)),
        el('td', { class: 'num' }, runTook(r)));
      row.addEventListener('click', () => select(r.id));
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(r.id); });
      const verb = { FAILED: 'failed in', CANCELLED: 'stopped in', REJECTED: 'rejected in' }[r.status];
      if (!verb || (!r.failedStage && !r.lastError)) return [row];
      // where and why it stopped, on a line of its own under the run
      row.classList.add('has-failure');
      const failure = el('tr', { 'data-failure-of': r.id, class: 'run-failure' + (r.id === selected ? ' selected' : '') },
        el('td', { colspan: '7', title: r.lastError || null },
          r.failedStage ? el('span', { class: 'failed-stage' }, verb + ' ' + r.failedStage) : null,
          r.lastError ? el('span', { class: 'error-text' }, r.lastError) : null));
      failure.addEventListener('click', () => select(r.id));
      return [row, failure];
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
    for (const row of $('runs').tBodies[0].rows) {
      row.classList.toggle('selected', (row.dataset.runId || row.dataset.failureOf) === id);
    }
    if (live) live.abort.abort();
    live = null;
    refreshDetail().catch((e) => showError(e, 'detail'));
  }

  // ---- live progress: the run's event stream, resumed with Last-Event-ID after a drop ----

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // Called while the shown run is queued or running; a finished run's curve comes from its recorded outputs.
  function follow(id) {
    if (live && live.runId === id && !live.ended) return;
    if (live) live.abort.abort();
    live = { runId: id, abort: new AbortController(), lastId: null, steps: [], latest: null, ended: false };
    const mine = live;
    (async () => {
      while (!mine.abort.signal.aborted && !mine.ended) {
        let wait = 1000;
        try {
          await readStream(mine);
        } catch (e) {
          if (mine.abort.signal.aborted) return;
          if (e instanceof ApiError) {
            showError(e, 'stream');
            if (e.status === 404) return;
            wait = 5000; // a token to type, or a server that refuses for now: ask again less often
          }
        }
        if (!mine.ended && !mine.abort.signal.aborted) await sleep(wait);
      }
    })();
  }

  async function readStream(mine) {
    const headers = authHeaders('text/event-stream');
    if (mine.lastId !== null) headers['Last-Event-ID'] = mine.lastId;
    const res = await fetch('/api/runs/' + encodeURIComponent(mine.runId) + '/progress/stream',
      { headers, signal: mine.abort.signal });
    if (res.status === 204) { // nothing after what we have, and the run is over
      mine.ended = true;
      return;
    }
    if (!res.ok) {
      let data = null;
      try { data = await res.json(); } catch (e) { data = null; }
      throw new ApiError((data && data.error) || `HTTP ${res.status}`, (data && data.detail) || 'progress stream',
        res.status);
    }
    clearError('stream');
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        onEvent(mine, parseEvent(block));
      }
    }
  }

  function parseEvent(block) {
    const ev = { id: null, event: 'message', data: [] };
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') ev.id = value;
      else if (field === 'event') ev.event = value;
      else if (field === 'data') ev.data.push(value);
    }
    return ev;
  }

  function onEvent(mine, ev) {
    if (mine !== live) return;
    if (ev.id !== null) mine.lastId = ev.id;
    if (ev.event === 'end') {
      mine.ended = true;
      detailShown = null;
      refreshDetail().catch((e) => showError(e, 'detail'));
      return;
    }
    if (ev.event !== 'progress' || !ev.data.length) return;
    const e = JSON.parse(ev.data.join('\n'));
    mine.latest = e;
    if (e.stage === 'train' && e.unit === 'step') {
      // a resumed run counts its steps again from its checkpoint: later steps replace what they overlap
      while (mine.steps.length && mine.steps[mine.steps.length - 1][0] >= e.done) mine.steps.pop();
      mine.steps.push([e.done, num(e.loss)]);
    }
    if (!mine.drawPending) {
      mine.drawPending = true;
      requestAnimationFrame(() => { mine.drawPending = false; drawLive(); });
    }
  }

  function clock(seconds) {
    const s = Math.max(0, Math.round(seconds));
    return s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`
      : `${Math.floor(s / 60)}:${pad(s % 60)}`;
  }

  function liveText(e) {
    const parts = [];
    const bytes = e.unit === 'byte';
    const count = (v) => (bytes ? (v / 1e6).toFixed(1) : String(v));
    parts.push(e.total > 0 ? `${count(e.done)} / ${count(e.total)}${bytes ? ' MB' : ''}` : count(e.done));
    if (e.unit === 'step') parts[0] = 'step ' + parts[0];
    if (e.task) parts.push(e.task);
    if (num(e.loss) !== null) parts.push('loss ' + fmt(num(e.loss)));
    if (typeof e.tokensPerSecond === 'number') parts.push(Math.round(e.tokensPerSecond) + ' tok/s');
    if (typeof e.etaSeconds === 'number' && !(e.total > 0 && e.done >= e.total)) parts.push('ETA ' + clock(e.etaSeconds));
    return parts.join(' · ');
  }

  function active(run) {
    return run && (run.status === 'RUNNING' || run.status === 'QUEUED');
  }

  function drawLive() {
    if (!live || !shownRun || shownRun.id !== live.runId) return;
    const e = live.latest;
    const showBar = !!e && active(shownRun);
    $('live').hidden = !showBar;
    if (showBar) {
      $('live-stage').textContent = e.stage;
      $('live-text').textContent = liveText(e);
      const bar = $('live-bar');
      if (e.total > 0) {
        bar.max = e.total;
        bar.value = Math.min(e.done, e.total);
      } else {
        bar.removeAttribute('value'); // indeterminate: training until stopped
      }
    }
    const recorded = trainLosses(shownRun);
    if (!recorded.length && live.steps.length) {
      $('charts').hidden = false;
      drawLoss(live.steps);
    }
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

  function trainLosses(run) {
    const train = latestOutputs(run, 'train');
    if (!train || !Array.isArray(train.stepLosses) || active(run)) return [];
    return train.stepLosses.map((v, i) => [i + 1, num(v)]);
  }

  function drawDetail(run) {
    shownRun = run;
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
    // the recorded losses once training is over; while it runs, the live steps of the progress stream
    const recorded = trainLosses(run);
    const losses = recorded.length ? recorded : live && live.runId === run.id ? live.steps : [];
    const evaluate = latestOutputs(run, 'evaluate');
    const gate = latestOutputs(run, 'gate');
    $('charts').hidden = !losses.length && !evaluate && !gate && !active(run);
    drawLoss(losses);
    drawScore(evaluate, gate, run.params);
    drawTasks(evaluate);
    drawArtifacts(run.artifacts || []);
    if (active(run)) follow(run.id);
    drawLive();
  }

  // per task: the schedule's weight, the weight after renormalising over the scored tasks, samples, scores
  function drawTasks(evaluate) {
    const tasks = evaluate && Array.isArray(evaluate.tasks) ? evaluate.tasks : [];
    $('tasks').hidden = !tasks.length;
    const n = (v) => (num(v) === null ? '–' : fmt(num(v)));
    $('tasks').tBodies[0].replaceChildren(...tasks.map((t) => el('tr', { 'data-task': t.name },
      el('td', {}, t.name), el('td', { class: 'num' }, n(t.weight)), el('td', { class: 'num' }, n(t.appliedWeight)),
      el('td', { class: 'num' }, t.skipped ? '–' : String(t.samples)),
      t.skipped ? el('td', { class: 'skipped', colspan: '2', title: t.skipped }, 'skipped: ' + t.skipped)
        : el('td', { class: 'num' }, n(t.raw)),
      t.skipped ? null : el('td', { class: 'num' }, n(t.weighted)))));
  }

  // where each recorded file is (on the server's disk), with its size and digest
  function drawArtifacts(artifacts) {
    $('artifacts').hidden = !artifacts.length;
    $('artifacts').querySelector('summary').textContent = `${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'}`;
    $('artifacts').querySelector('tbody').replaceChildren(...artifacts.map((a) => el('tr', {},
      el('td', {}, a.name), el('td', {}, el('code', { title: 'sha256 ' + a.sha256 }, a.path)),
      el('td', { class: 'num' }, (a.sizeBytes / 1e6).toFixed(2) + ' MB'))));
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

  // points: [optimizer step, loss]; a long run's stored events are thinned, so steps need not be consecutive
  function drawLoss(points) {
    const box = $('loss-chart');
    const losses = points.map((p) => p[1]);
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
    const firstStep = points[0][0], lastStep = points[n - 1][0];
    const x = (i) => L + (lastStep === firstStep ? (W - L - R) / 2
      : ((points[i][0] - firstStep) * (W - L - R)) / (lastStep - firstStep));
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
      plot.append(svg('text', { x: x(i), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, String(points[i][0])));
    }
    plot.append(svg('text', { x: W - R, y: H - 2, class: 'axis', 'text-anchor': 'end' }, 'optimizer step'));
    const pts = losses.map((v, i) => [x(i), y(ok(v) ? v : hi)]);
    plot.append(svg('polyline', { points: pts.map((p) => p.join(',')).join(' '), class: 'line' }));
    const r = n > 200 ? 1.2 : n > 60 ? 2 : 3;
    losses.forEach((v, i) => {
      const dot = svg('circle', { cx: pts[i][0], cy: pts[i][1], r, class: 'pt', 'data-step': points[i][0] });
      dot.append(svg('title', {}, `step ${points[i][0]}: loss ${ok(v) ? fmt(v) : 'not a number'}`));
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

  // The API names a refused value by its flag ("--max_steps must be ...") or JSON field ("field 'lr' ..."); the
  // message goes next to that field, or to the error bar when it names none of the form's fields.
  function refusedField(form, detail) {
    const m = /(?:^|[\s(])--([a-z_.]+)/.exec(detail) || /field '([a-z_.]+)'/.exec(detail);
    if (!m) return null;
    return form.elements.namedItem(m[1].replace(/\./g, '_'));
  }

  function clearFieldErrors(form) {
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const msg of form.querySelectorAll('.field-error')) msg.remove();
  }

  function runParams(form) {
    const params = {};
    for (const input of form.querySelectorAll('input')) {
      if (input.type === 'checkbox') {
        params[input.name] = input.checked;
        continue;
      }
      const v = input.value.trim();
      if (!v) continue;
      // numbers go as numbers; anything else as typed, for the server to refuse with its own words
      const numeric = input.inputMode === 'numeric' || input.inputMode === 'decimal';
      params[input.name] = numeric && v !== '' && isFinite(Number(v)) ? Number(v) : v;
    }
    return params;
  }

  async function newRun(event) {
    event.preventDefault();
    const form = $('run-form');
    clearFieldErrors(form);
    $('run-form-result').textContent = '';
    try {
      const r = await api('POST', '/api/runs', JSON.stringify(runParams(form)));
      clearError();
      $('run-form-result').textContent = `run ${r.runId.slice(0, 8)} ${r.status}`;
      select(r.runId);
      await refreshRuns();
    } catch (e) {
      const field = e instanceof ApiError && e.status === 400 ? refusedField(form, e.detail || '') : null;
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.closest('label').after(el('p', { class: 'field-error', 'data-field': field.name }, e.detail));
        field.focus();
      } else {
        showError(e, 'action');
      }
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
    $('run-form').addEventListener('submit', newRun);
    $('filters').addEventListener('change', () => { runsShown = null; tick(); });
    const m = /^#run=(.+)$/.exec(location.hash);
    if (m) select(decodeURIComponent(m[1]));
    tick();
    setInterval(tick, REFRESH_MS);
  }

  start();
})();
