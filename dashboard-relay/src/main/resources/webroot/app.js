// sysmonstm dashboard: health thresholds from /api/config, then a card per host from /api/hosts,
// live over /ws (messages as io.sysmonstm.live describes them), history from /api/hosts/{id}/series;
// active alerts and recent transitions from /api/alerts, then live over /ws; the rules from
// /api/rules. Every piece of text that comes from collectors or rules (host names, os,
// mountpoints, devices, summaries) is set with textContent on elements made with
// createElement: never parsed as HTML.
'use strict';

(function () {
  const REFRESH_MS = 15000;          // re-read /api/hosts (new hosts, health from the server)
  const SPARK_POINTS = 60;
  const MAX_HISTORY = 50;             // recent alert transitions shown
  const SEVERITIES = ['critical', 'warning', 'info'];

  const hosts = new Map();           // host_id -> {data, el, fields, spark, cpu: []}
  // the relay's health thresholds (GET /api/config), the ones /api/hosts applies; until they are
  // known a card shows the relay's word without ageing it
  const limits = { staleAfterMs: null, downAfterMs: null };
  const grid = document.getElementById('hosts');
  const conn = document.getElementById('conn');
  const summary = document.getElementById('summary');
  const notice = document.getElementById('notice');

  // ---------------------------------------------------------------- series keys and values

  /** Splits a series key `metric{"k":"v"}` into metric and attrs. */
  function splitKey(key) {
    const i = key.indexOf('{');
    if (i < 0) return { metric: key, attrs: {} };
    let attrs = {};
    try { attrs = JSON.parse(key.substring(i)); } catch (e) { attrs = {}; }
    return { metric: key.substring(0, i), attrs: attrs };
  }

  function num(v) {
    return typeof v === 'number' && isFinite(v) ? v : null;
  }

  /** What a card shows, derived from a host's latest values. */
  function derive(values) {
    const out = {
      cpu: null, memory: null, disk: null, diskMount: null,
      load1: null, load5: null, load15: null, rx: null, tx: null,
      processes: null, uptime: null
    };
    for (const key of Object.keys(values || {})) {
      const v = num(values[key]);
      if (v === null) continue;
      const s = splitKey(key);
      const whole = Object.keys(s.attrs).length === 0;
      switch (s.metric) {
        case 'system.cpu.utilization': if (whole) out.cpu = v * 100; break;
        case 'system.memory.utilization': if (whole) out.memory = v * 100; break;
        case 'system.filesystem.utilization':
          if (out.disk === null || v * 100 > out.disk) {
            out.disk = v * 100;
            out.diskMount = typeof s.attrs.mountpoint === 'string' ? s.attrs.mountpoint : null;
          }
          break;
        case 'system.cpu.load_average.1m': out.load1 = v; break;
        case 'system.cpu.load_average.5m': out.load5 = v; break;
        case 'system.cpu.load_average.15m': out.load15 = v; break;
        case 'system.network.io.rate':
          if (s.attrs.direction === 'receive') out.rx = (out.rx || 0) + v;
          else if (s.attrs.direction === 'transmit') out.tx = (out.tx || 0) + v;
          break;
        case 'system.process.count': if (whole) out.processes = v; break;
        case 'system.uptime': if (whole) out.uptime = v; break;
        default: break;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- formatting

  function pct(v) { return v === null ? '–' : v.toFixed(1) + ' %'; }

  function rate(bytesPerSec) {
    if (bytesPerSec === null) return '–';
    const units = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];
    let v = bytesPerSec;
    let u = 0;
    while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
    return (u === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
  }

  function bytes(n) {
    if (!n) return '';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return v.toFixed(u >= 3 ? 1 : 0) + ' ' + units[u];
  }

  function duration(seconds) {
    if (seconds === null) return '–';
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d > 0) return d + ' d ' + h + ' h';
    if (h > 0) return h + ' h ' + m + ' min';
    if (m > 0) return m + ' min';
    return s + ' s';
  }

  function ago(ms) {
    if (!ms) return 'never';
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    if (s < 86400) return Math.floor(s / 3600) + ' h ago';
    return Math.floor(s / 86400) + ' d ago';
  }

  function fixed(v, digits) { return v === null ? '–' : v.toFixed(digits); }

  // ---------------------------------------------------------------- DOM helpers (text only)

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---------------------------------------------------------------- cards

  function makeCard(id) {
    const card = el('article', 'card');
    card.dataset.hostId = id;
    card.tabIndex = 0;
    const head = el('div', 'card-head');
    const name = el('h2', 'hostname');
    name.dataset.field = 'hostname';
    const badge = el('span', 'badge');
    badge.dataset.field = 'health';
    head.appendChild(name);
    head.appendChild(badge);
    card.appendChild(head);
    const facts = el('div', 'facts');
    facts.dataset.field = 'facts';
    card.appendChild(facts);
    const spark = el('canvas', 'spark');
    spark.width = 280;
    spark.height = 36;
    spark.dataset.field = 'cpu-sparkline';
    card.appendChild(spark);

    const dl = el('dl', 'metrics');
    const fields = { name: name, badge: badge, facts: facts };
    const rows = [
      ['cpu', 'CPU', true], ['memory', 'Memory', true], ['disk', 'Disk', true],
      ['load', 'Load', false], ['network', 'Network', false],
      ['processes', 'Processes', false], ['uptime', 'Uptime', false],
      ['last-seen', 'Last seen', false]
    ];
    for (const [key, label, withBar] of rows) {
      dl.appendChild(el('dt', null, label));
      const dd = el('dd');
      const value = el('span', 'value');
      value.dataset.field = key;
      dd.appendChild(value);
      fields[key] = value;
      if (withBar) {
        const bar = el('div', 'bar');
        const fill = el('div', 'fill');
        bar.appendChild(fill);
        dd.appendChild(bar);
        fields[key + 'Bar'] = fill;
      }
      dl.appendChild(dd);
    }
    card.appendChild(dl);
    card.addEventListener('click', () => openDetail(id));
    card.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') openDetail(id); });
    return { el: card, fields: fields, spark: spark };
  }

  function setBar(fill, value) {
    if (!fill) return;
    const v = value === null ? 0 : Math.max(0, Math.min(100, value));
    fill.style.width = v + '%';
    fill.classList.toggle('warn', v >= 75 && v < 90);
    fill.classList.toggle('crit', v >= 90);
  }

  function healthOf(h) {
    // the server's word, aged on the client as time passes without a snapshot
    const age = Date.now() - (h.data.last_seen || 0);
    if (h.data.health === 'down' || (limits.downAfterMs !== null && age > limits.downAfterMs)) return 'down';
    if (limits.staleAfterMs !== null && age > limits.staleAfterMs) return 'stale';
    return h.data.health || 'up';
  }

  function render(h) {
    const d = h.data;
    const f = h.fields;
    const m = derive(d.values);
    f.name.textContent = d.hostname || d.host_id;
    f.name.title = d.host_id;
    const facts = [];
    if (d.os) facts.push(d.os);
    if (d.cores) facts.push(d.cores + ' cores');
    if (d.memory_total_bytes) facts.push(bytes(d.memory_total_bytes));
    f.facts.textContent = facts.join(' · ');
    f.cpu.textContent = pct(m.cpu);
    setBar(f.cpuBar, m.cpu);
    f.memory.textContent = pct(m.memory);
    setBar(f.memoryBar, m.memory);
    f.disk.textContent = m.disk === null ? '–' : pct(m.disk) + (m.diskMount ? ' ' + m.diskMount : '');
    setBar(f.diskBar, m.disk);
    f.load.textContent = m.load1 === null && m.load5 === null && m.load15 === null
      ? '–' : fixed(m.load1, 2) + ' / ' + fixed(m.load5, 2) + ' / ' + fixed(m.load15, 2);
    f.network.textContent = m.rx === null && m.tx === null
      ? '–' : '↓ ' + rate(m.rx || 0) + '  ↑ ' + rate(m.tx || 0);
    f.processes.textContent = m.processes === null ? '–' : String(Math.round(m.processes));
    f.uptime.textContent = duration(m.uptime);
    tick(h);
    drawSpark(h);
  }

  /** The parts that change with the clock: last seen and health. */
  function tick(h) {
    const health = healthOf(h);
    h.fields['last-seen'].textContent = ago(h.data.last_seen);
    h.fields['last-seen'].title = h.data.last_seen_iso || '';
    h.fields.badge.textContent = health;
    h.fields.badge.className = 'badge badge-' + health;
    h.el.classList.toggle('health-down', health === 'down');
    h.el.dataset.health = health;
  }

  function drawSpark(h) {
    const c = h.spark;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    const pts = h.cpu;
    if (pts.length < 2) return;
    ctx.strokeStyle = '#4aa3ff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    const step = c.width / (SPARK_POINTS - 1);
    const x0 = c.width - step * (pts.length - 1);
    pts.forEach((v, i) => {
      const y = c.height - 2 - (Math.max(0, Math.min(100, v)) / 100) * (c.height - 4);
      if (i === 0) ctx.moveTo(x0 + i * step, y); else ctx.lineTo(x0 + i * step, y);
    });
    ctx.stroke();
  }

  function upsert(data, fromLive) {
    if (!data || typeof data.host_id !== 'string' || data.host_id === '') return;
    let h = hosts.get(data.host_id);
    if (!h) {
      const card = makeCard(data.host_id);
      h = { data: { values: {} }, el: card.el, fields: card.fields, spark: card.spark, cpu: [] };
      hosts.set(data.host_id, h);
      insertSorted(h);
    }
    const values = fromLive ? Object.assign({}, h.data.values, data.values || {}) : (data.values || {});
    h.data = Object.assign({}, h.data, data, { values: values });
    if (fromLive) {
      h.data.health = 'up';
      if (h.data.last_seen) h.data.last_seen_iso = new Date(h.data.last_seen).toISOString();
    }
    const cpu = derive(values).cpu;
    if (cpu !== null && (fromLive || h.cpu.length === 0)) {
      h.cpu.push(cpu);
      if (h.cpu.length > SPARK_POINTS) h.cpu.shift();
    }
    render(h);
    updateSummary();
  }

  function insertSorted(h) {
    const id = h.el.dataset.hostId;
    let before = null;
    for (const child of grid.children) {
      if (child.dataset.hostId > id) { before = child; break; }
    }
    grid.insertBefore(h.el, before);
  }

  function updateSummary() {
    const counts = { up: 0, stale: 0, down: 0 };
    for (const h of hosts.values()) counts[healthOf(h)]++;
    summary.textContent = hosts.size + (hosts.size === 1 ? ' host' : ' hosts') + ' · '
      + counts.up + ' up · ' + counts.stale + ' stale · ' + counts.down + ' down';
    notice.hidden = hosts.size > 0;
    if (hosts.size === 0) {
      notice.textContent = 'No hosts yet: start a collector and its cards appear here.';
    }
  }

  // ---------------------------------------------------------------- REST

  /** The relay's thresholds; false when it cannot say (the next host refresh asks again). */
  async function loadConfig() {
    try {
      const c = await getJson('api/config');
      if (num(c.stale_after_ms) === null || num(c.down_after_ms) === null) return false;
      limits.staleAfterMs = c.stale_after_ms;
      limits.downAfterMs = c.down_after_ms;
      return true;
    } catch (e) {
      return false;
    }
  }

  async function loadHosts() {
    if (limits.staleAfterMs === null) await loadConfig();
    try {
      const res = await fetch('api/hosts', { headers: { Accept: 'application/json' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      const list = await res.json();
      const seen = new Set();
      for (const item of list) {
        seen.add(item.host_id);
        const known = hosts.get(item.host_id);
        // a live snapshot newer than the listing wins
        if (known && known.data.last_seen > item.last_seen) continue;
        upsert(item, false);
      }
      for (const [id, h] of hosts) {
        if (!seen.has(id)) { h.el.remove(); hosts.delete(id); }
      }
      updateSummary();
      restoreDetail();
    } catch (e) {
      summary.textContent = 'cannot load hosts (' + e.message + '), retrying';
    }
  }

  // ---------------------------------------------------------------- WebSocket

  let ws = null;
  let backoffMs = 500;

  function setConn(state, text) {
    conn.className = 'conn conn-' + state;
    conn.textContent = text;
    conn.dataset.state = state;
  }

  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host
      + location.pathname.replace(/[^/]*$/, '') + 'ws';
    setConn('connecting', 'connecting…');
    ws = new WebSocket(url);
    ws.onopen = () => {
      backoffMs = 500;
      setConn('live', 'live');
      loadHosts();
      loadAlerts();   // transitions may have been missed while disconnected
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (!msg || typeof msg !== 'object') return;
      if (msg.type === 'host') upsert(msg, true);
      else if (msg.type === 'alert') onAlert(msg);
    };
    ws.onclose = () => {
      const wait = Math.round(backoffMs * (0.8 + Math.random() * 0.4));
      setConn('offline', 'offline, retrying in ' + Math.ceil(wait / 1000) + ' s');
      backoffMs = Math.min(backoffMs * 2, 10000);
      setTimeout(connect, wait);
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
  }

  // ---------------------------------------------------------------- alerts

  // Active alerts keyed by fingerprint and start: a resolution removes the firing it ends.
  const alerts = { active: new Map(), history: [], loadSeq: 0, arrived: null };
  const alertCount = document.getElementById('alert-count');
  const alertStatus = document.getElementById('alert-status');
  const alertNone = document.getElementById('alert-none');
  const alertActive = document.getElementById('alert-active');
  const alertHistory = document.getElementById('alert-history');

  function isAlert(a) {
    return a && typeof a.fingerprint === 'string' && typeof a.starts_at === 'number'
      && (a.state === 'firing' || a.state === 'resolved');
  }

  function alertKey(a) { return a.fingerprint + '|' + a.starts_at; }

  function transitionKey(a) { return alertKey(a) + '|' + a.state; }

  function transitionTime(a) {
    return a.state === 'resolved' && typeof a.ends_at === 'number' ? a.ends_at : a.starts_at;
  }

  function severityOf(a) { return SEVERITIES.indexOf(a.severity) >= 0 ? a.severity : 'info'; }

  /** A firing or resolved transition: updates the active set and the history. */
  function applyAlert(a) {
    if (a.state === 'firing') alerts.active.set(alertKey(a), a);
    else alerts.active.delete(alertKey(a));
    const key = transitionKey(a);
    if (alerts.history.some((h) => transitionKey(h) === key)) return;
    alerts.history.push(a);
    alerts.history.sort((x, y) => transitionTime(y) - transitionTime(x));
    if (alerts.history.length > MAX_HISTORY) alerts.history.length = MAX_HISTORY;
  }

  /** From /ws. While the lists load, transitions are also kept to replay over them. */
  function onAlert(a) {
    if (!isAlert(a)) return;
    if (alerts.arrived) alerts.arrived.push(a);
    applyAlert(a);
    renderAlerts();
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + res.status);
    return body;
  }

  async function loadAlerts() {
    const seq = ++alerts.loadSeq;
    alerts.arrived = [];
    try {
      const [firing, recent] = await Promise.all([
        getJson('api/alerts?state=firing&limit=5000'),
        getJson('api/alerts?state=all&limit=' + MAX_HISTORY)
      ]);
      if (seq !== alerts.loadSeq) return;
      alerts.active.clear();
      for (const a of firing) if (isAlert(a)) alerts.active.set(alertKey(a), a);
      alerts.history = recent.filter(isAlert);
      // what /ws delivered meanwhile is at least as new as the lists
      for (const a of alerts.arrived) applyAlert(a);
      alerts.arrived = null;
      alertStatus.textContent = '';
      renderAlerts();
    } catch (e) {
      if (seq !== alerts.loadSeq) return;
      alerts.arrived = null;
      alertStatus.textContent = 'cannot load alerts (' + e.message + ')';
    }
  }

  function clock(ms) {
    const d = new Date(ms);
    return Date.now() - ms > 86400e3
      ? d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + d.toLocaleTimeString()
      : d.toLocaleTimeString();
  }

  /** One line: when · severity · host · rule · summary. */
  function alertItem(a, when) {
    const li = el('li', a.state);
    li.dataset.fingerprint = a.fingerprint;
    li.dataset.severity = severityOf(a);
    li.dataset.state = a.state;
    const time = el('span', 'when', when);
    time.title = new Date(transitionTime(a)).toISOString();
    li.appendChild(time);
    li.appendChild(el('span', 'sev sev-' + severityOf(a), a.state === 'resolved' ? 'resolved' : severityOf(a)));
    const who = a.host_id ? String(a.host_id) : 'pipeline';
    li.appendChild(el('span', 'who', who + ' · ' + String(a.rule_id || '')));
    const what = el('span', 'what', String(a.summary || a.series || ''));
    what.title = String(a.series || '');
    li.appendChild(what);
    return li;
  }

  function renderAlerts() {
    const active = Array.from(alerts.active.values()).sort((x, y) =>
      SEVERITIES.indexOf(severityOf(x)) - SEVERITIES.indexOf(severityOf(y)) || y.starts_at - x.starts_at);
    clear(alertActive);
    for (const a of active) {
      const li = alertItem(a, 'since ' + clock(a.starts_at));
      li.firstChild.dataset.since = String(a.starts_at);
      alertActive.appendChild(li);
    }
    tickAlerts();
    alertCount.textContent = String(active.length);
    alertNone.hidden = active.length > 0;
    clear(alertHistory);
    for (const a of alerts.history) alertHistory.appendChild(alertItem(a, clock(transitionTime(a))));
  }

  /** How long each active alert has been firing, as the clock moves. */
  function tickAlerts() {
    for (const span of alertActive.querySelectorAll('.when')) {
      const since = Number(span.dataset.since);
      span.textContent = 'since ' + clock(since) + ' (' + ago(since).replace(' ago', '') + ')';
    }
  }

  // ---------------------------------------------------------------- rules (read-only)

  const rulesSection = document.getElementById('rules');
  const rulesToggle = document.getElementById('rules-toggle');
  const rulesBody = document.getElementById('rules-body');
  const rulesStatus = document.getElementById('rules-status');

  function matchText(m) {
    const keys = Object.keys(m || {});
    if (keys.length === 0) return '';
    return '{' + keys.map((k) => k + '=' + JSON.stringify(String(m[k]))).join(', ') + '}';
  }

  function stepText(metric, match, op, threshold) {
    return String(metric || '') + matchText(match) + ' ' + String(op || '')
      + (typeof threshold === 'number' ? ' ' + threshold : '');
  }

  /** The rule's condition in one line, e.g. "system.cpu.utilization{cpu=""} > 0.9 for 5m". */
  function condition(r) {
    if (r.kind === 'host_down') return 'no samples for ' + String(r.absent_for || '');
    let text = stepText(r.metric, r.match, r.op, r.threshold);
    if (r.kind === 'sequence' && r.then) {
      return text + ', then ' + stepText(r.then.metric, r.then.match, r.then.op, r.then.threshold)
        + ' within ' + String(r.within || '');
    }
    if (r.for && r.for !== '0s') text += ' for ' + String(r.for);
    if (typeof r.resolve === 'number' && r.resolve !== r.threshold) text += ' (resolves past ' + r.resolve + ')';
    return text;
  }

  async function loadRules() {
    rulesStatus.textContent = 'loading…';
    try {
      const rules = await getJson('api/rules');
      clear(rulesBody);
      for (const r of rules) {
        const tr = el('tr');
        tr.dataset.ruleId = String(r.id);
        tr.appendChild(el('td', null, r.id));
        tr.appendChild(el('td', null, r.kind || 'threshold'));
        tr.appendChild(el('td', 'cond', condition(r)));
        tr.appendChild(el('td', null, r.hosts || '*'));
        const sev = SEVERITIES.indexOf(r.severity) >= 0 ? r.severity : 'info';
        tr.appendChild(el('td', 'sev sev-' + sev, sev));
        tr.appendChild(el('td', null, r.summary || ''));
        rulesBody.appendChild(tr);
      }
      rulesStatus.textContent = rules.length + (rules.length === 1 ? ' rule' : ' rules')
        + ' · change them with PUT / DELETE /api/rules/{id}';
    } catch (e) {
      rulesStatus.textContent = 'cannot load rules (' + e.message + ')';
    }
  }

  rulesToggle.addEventListener('click', () => {
    const open = rulesSection.hidden;
    rulesSection.hidden = !open;
    rulesToggle.setAttribute('aria-expanded', String(open));
    if (open) loadRules();
  });

  // ---------------------------------------------------------------- history chart

  const RANGES = { '5m': 300e3, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '90d': 90 * 86400e3 };
  const detail = document.getElementById('detail');
  const detailTitle = document.getElementById('detail-title');
  const detailSeries = document.getElementById('detail-series');
  const detailStatus = document.getElementById('detail-status');
  const chart = document.getElementById('detail-chart');
  let current = { id: null, key: 'system.cpu.utilization', range: '1h', seq: 0 };

  function openDetail(id) {
    const h = hosts.get(id);
    if (!h) return;
    current.id = id;
    detailTitle.textContent = h.data.hostname || id;
    clear(detailSeries);
    const keys = Object.keys(h.data.values || {}).sort();
    if (keys.indexOf(current.key) < 0) {
      current.key = keys.indexOf('system.cpu.utilization') >= 0 ? 'system.cpu.utilization' : (keys[0] || 'system.cpu.utilization');
    }
    if (keys.indexOf(current.key) < 0) keys.unshift(current.key);
    for (const k of keys) {
      const o = el('option', null, k);
      o.value = k;
      if (k === current.key) o.selected = true;
      detailSeries.appendChild(o);
    }
    detail.hidden = false;
    loadSeries();
  }

  /** Keeps the open chart in the address (#host=…&series=…&range=…) so it can be shared. */
  function rememberDetail() {
    const base = location.pathname + location.search;
    if (current.id === null) {
      history.replaceState(null, '', base);
      return;
    }
    const p = new URLSearchParams({ host: current.id, series: current.key, range: current.range });
    history.replaceState(null, '', base + '#' + p.toString());
  }

  function closeDetail() {
    detail.hidden = true;
    current.id = null;
    rememberDetail();
  }

  let restored = false;

  /** Opens the chart named in the address, once, after the first host list. */
  function restoreDetail() {
    if (restored) return;
    restored = true;
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    const id = p.get('host');
    if (!id || !hosts.has(id)) return;
    if (p.get('series')) current.key = p.get('series');
    if (RANGES[p.get('range')]) current.range = p.get('range');
    openDetail(id);
  }

  async function loadSeries() {
    const seq = ++current.seq;
    rememberDetail();
    const s = splitKey(current.key);
    const to = Date.now();
    const from = to - RANGES[current.range];
    for (const b of document.querySelectorAll('#detail-ranges button')) {
      b.classList.toggle('active', b.dataset.range === current.range);
    }
    const q = new URLSearchParams({
      metric: s.metric, attrs: JSON.stringify(s.attrs), from: String(from), to: String(to), step: 'auto'
    });
    detailStatus.textContent = 'loading…';
    try {
      const res = await fetch('api/hosts/' + encodeURIComponent(current.id) + '/series?' + q.toString());
      const body = await res.json();
      if (seq !== current.seq) return;
      if (!res.ok) throw new Error(body && body.error ? body.error : 'HTTP ' + res.status);
      drawChart(body, from, to);
      detailStatus.textContent = body.points.length + ' points · step ' + body.step
        + (body.points.length === 0 ? ' · no history in this range yet' : '');
    } catch (e) {
      if (seq !== current.seq) return;
      drawChart({ points: [] }, from, to);
      detailStatus.textContent = 'cannot load history: ' + e.message;
    }
  }

  function drawChart(series, from, to) {
    const dpr = window.devicePixelRatio || 1;
    const w = chart.clientWidth || 900;
    const hgt = chart.clientHeight || 280;
    chart.width = Math.round(w * dpr);
    chart.height = Math.round(hgt * dpr);
    const ctx = chart.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const pad = { l: 56, r: 12, t: 10, b: 24 };
    const pw = w - pad.l - pad.r;
    const ph = hgt - pad.t - pad.b;
    const isRatio = /utilization$/.test(series.metric || current.key.split('{')[0]);
    const scale = isRatio ? 100 : 1;
    const pts = series.points || [];
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of pts) {
      const mn = (p.min === null ? p.avg : p.min) * scale;
      const mx = (p.max === null ? p.avg : p.max) * scale;
      if (mn < lo) lo = mn;
      if (mx > hi) hi = mx;
    }
    if (isRatio) { lo = 0; hi = Math.max(100, hi); }
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    if (hi === lo) { hi = lo + 1; }
    const x = (t) => pad.l + ((t - from) / (to - from)) * pw;
    const y = (v) => pad.t + ph - ((v - lo) / (hi - lo)) * ph;

    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#8b98a5';
    ctx.strokeStyle = '#2d3843';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4;
      const yy = Math.round(y(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(pad.l, yy); ctx.lineTo(pad.l + pw, yy); ctx.stroke();
      ctx.fillText(axisLabel(v, isRatio), 4, yy + 4);
    }
    for (let i = 0; i <= 4; i++) {
      const t = from + ((to - from) * i) / 4;
      const d = new Date(t);
      const label = to - from > 2 * 86400e3
        ? d.toLocaleDateString([], { month: 'short', day: 'numeric' })
        : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      ctx.fillText(label, Math.min(x(t), pad.l + pw - 40), hgt - 6);
    }
    if (pts.length === 0) return;
    // a bucket that starts before 'from' is drawn only inside the plot area
    ctx.save();
    ctx.beginPath();
    ctx.rect(pad.l, pad.t, pw, ph);
    ctx.clip();
    // min-max band, then the average line
    ctx.fillStyle = 'rgba(74, 163, 255, 0.18)';
    ctx.beginPath();
    pts.forEach((p, i) => {
      const xx = x(Date.parse(p.t));
      const yy = y((p.max === null ? p.avg : p.max) * scale);
      if (i === 0) ctx.moveTo(xx, yy); else ctx.lineTo(xx, yy);
    });
    for (let i = pts.length - 1; i >= 0; i--) {
      const p = pts[i];
      ctx.lineTo(x(Date.parse(p.t)), y((p.min === null ? p.avg : p.min) * scale));
    }
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = '#4aa3ff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    pts.forEach((p, i) => {
      const xx = x(Date.parse(p.t));
      const yy = y(p.avg * scale);
      if (i === 0) ctx.moveTo(xx, yy); else ctx.lineTo(xx, yy);
    });
    ctx.stroke();
    ctx.restore();
  }

  function axisLabel(v, isRatio) {
    if (isRatio) return v.toFixed(0) + ' %';
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
    return a >= 10 ? v.toFixed(0) : v.toFixed(2);
  }

  detailSeries.addEventListener('change', () => { current.key = detailSeries.value; loadSeries(); });
  for (const b of document.querySelectorAll('#detail-ranges button')) {
    b.addEventListener('click', () => { current.range = b.dataset.range; loadSeries(); });
  }
  document.getElementById('detail-close').addEventListener('click', closeDetail);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !detail.hidden) closeDetail();
  });

  // ---------------------------------------------------------------- start

  setInterval(() => {
    for (const h of hosts.values()) tick(h);
    updateSummary();
    tickAlerts();
  }, 1000);
  setInterval(loadHosts, REFRESH_MS);
  loadHosts();
  connect();
})();
