// The live dashboard: polls GET /dashboard/snapshot every 2 s and draws it with Apache ECharts (from the
// service's own WebJar). No build step: a plain ES module.

const POLL_MS = 2000;
const WINDOWS = 10;
const PALETTE = ['#4f7cff', '#2fc2a0', '#f5a524', '#e5484d', '#8e6cef', '#17a2b8', '#f07c3e', '#6b8e23', '#d6409f', '#607089',
  '#a3b1ff', '#7fdcc6'];

const $ = (id) => document.getElementById(id);
// Charts animate their changes, unless the reader (or a test's browser) prefers reduced motion.
const ANIMATE = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const count = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});
const decimal = new Intl.NumberFormat('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
const rate = new Intl.NumberFormat('en-US', {maximumFractionDigits: 2});
const clock = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
const clockSeconds = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'});

// ---- exact decimals ------------------------------------------------------------------------------------
// Revenue is an exact decimal of up to 36 integer digits (numeric(38, 2)); a JavaScript number (a double) keeps 15 to
// 17 significant digits, so JSON.parse alone would show 999999999999999999999999.99 as 1,000,000,000,000,000,000,000,000.00.
// The snapshot is parsed keeping the source text of the numbers that can be revenue, and the page computes and shows
// figures from that text with BigInt; the charts draw Numbers, which only places a point on the screen.

/** The fields that hold an amount; the numbers in arrays are the category series' values (counts or revenue). */
const AMOUNT_FIELDS = new Set(['total_revenue', 'late_revenue', 'unexplained_revenue', 'unexplained']);

/** JSON text as JSON.parse reads it, except that amounts and series values stay their source text. */
function parseKeepingAmounts(text) {
  return JSON.parse(text, function keepSource(key, value, context) {
    if (typeof value === 'number' && (AMOUNT_FIELDS.has(key) || Array.isArray(this))) {
      // context.source: JSON.parse source text access (Chromium 114 and later); an older browser rounds as before.
      return context && typeof context.source === 'string' ? context.source : String(value);
    }
    return value;
  });
}

/** A plain decimal's text ("-1234.5", "0.10", 7) as a BigInt count of 10^-places; null if it is not one, or finer. */
function scaled(text, places) {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text));
  if (!match) {
    return null;
  }
  const fraction = match[3] || '';
  if (/[^0]/.test(fraction.slice(places))) {
    return null; // never round a figure silently
  }
  const units = BigInt(match[2] + fraction.slice(0, places).padEnd(places, '0'));
  return match[1] ? -units : units;
}

/** A BigInt count of 10^-places, grouped like the page's other figures: 1234567n, 2 → "12,345.67". */
function formatScaled(units, places) {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const one = 10n ** BigInt(places);
  const fraction = places === 0 ? '' : `.${(magnitude % one).toString().padStart(places, '0')}`;
  return `${negative ? '-' : ''}${count.format(magnitude / one)}${fraction}`;
}

/** A figure given as text or number, exactly, with `places` decimals (as a double if it is not a plain decimal). */
function exact(value, places) {
  const units = scaled(value, places);
  if (units === null) {
    return (places === 0 ? count : decimal).format(Number(value));
  }
  return formatScaled(units, places);
}

/** The exact sum of figures with `places` decimals, formatted (a double's sum if one is not a plain decimal). */
function exactSum(values, places) {
  let total = 0n;
  for (const value of values) {
    const units = scaled(value, places);
    if (units === null) {
      return exact(values.reduce((sum, v) => sum + Number(v), 0), places);
    }
    total += units;
  }
  return formatScaled(total, places);
}

const STATUS = {
  running: ['Running', 'The job is processing batches.'],
  idle: ['Idle', 'No recent batch, and the producer is paused: set a rate to send events again.'],
  stalled: ['Stalled', 'The producer is sending, but a streaming query has had no batch lately: is the analytics job running?'],
  waiting_for_data: ['Waiting for data', 'Waiting for data: the analytics job has not reported a batch yet. '
    + 'Start the job (./run-local.sh starts it) and the first window appears here within seconds of its first batch.'],
  database_unavailable: ['Database unavailable', ''],
  unreachable: ['Service unreachable', 'The service does not answer; retrying every 2 s.'],
};

const colors = new Map();
function colorOf(category) {
  if (!colors.has(category)) {
    colors.set(category, PALETTE[colors.size % PALETTE.length]);
  }
  return colors.get(category);
}

let lastSent = null;
const charts = {};

function chart(id) {
  if (!charts[id] && window.echarts) {
    charts[id] = window.echarts.init($(id), null, {renderer: 'svg'});
  }
  return charts[id];
}

window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

// ---- status ------------------------------------------------------------------------------------------

function showStatus(status, detail) {
  const [label, text] = STATUS[status] || [status, ''];
  const pill = $('pipeline-status');
  pill.textContent = label;
  pill.dataset.status = status;
  const banner = $('status-detail');
  banner.textContent = detail || text;
  banner.dataset.status = status;
}

function describe(pipeline) {
  if (pipeline.status === 'stalled') {
    const stalled = pipeline.queries.filter((q) => q.status === 'stalled')
      .map((q) => `${q.query_name} (no batch for ${ago(q.seconds_since_last_batch)})`);
    return `Stalled: the producer is sending, but ${stalled.join(', ')}. Is the analytics job running?`;
  }
  if (pipeline.status === 'idle') {
    return 'Idle: no batch lately, and the producer is paused. Set a rate to send events again.';
  }
  if (pipeline.status === 'running') {
    const newest = Math.min(...pipeline.queries.map((q) => q.seconds_since_last_batch));
    return `Running: the newest batch was ${ago(newest)} ago; the page refreshes every 2 s.`;
  }
  return null;
}

function ago(seconds) {
  if (seconds == null) {
    return '–';
  }
  if (seconds < 90) {
    return `${rate.format(Math.max(0, seconds))} s`;
  }
  if (seconds < 5400) {
    return `${Math.round(seconds / 60)} min`;
  }
  return `${rate.format(seconds / 3600)} h`;
}

// ---- producer --------------------------------------------------------------------------------------

function renderProducer(producer) {
  $('producer-rate').textContent = rate.format(producer.events_per_second);
  $('producer-paused').hidden = !producer.paused;
  $('events-sent').textContent = count.format(producer.events_sent);
  const now = performance.now();
  let note = 'acknowledged by Kafka';
  if (lastSent && now > lastSent.at && producer.events_sent >= lastSent.sent) {
    const perSecond = (producer.events_sent - lastSent.sent) / ((now - lastSent.at) / 1000);
    note = `≈ ${rate.format(perSecond)} events/s acknowledged lately`;
  }
  if (producer.events_failed || producer.events_dropped) {
    note += ` · ${count.format(producer.events_failed)} failed, ${count.format(producer.events_dropped)} dropped`;
  }
  $('events-sent-note').textContent = note;
  lastSent = {at: now, sent: producer.events_sent};
}

/** Where the tab keeps the control token once it was asked for (sessionStorage: gone when the tab closes). */
const TOKEN_KEY = 'shopstream.control-token';

function putRate(value) {
  const headers = {'Content-Type': 'application/json'};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  return fetch('/producer/rate', {method: 'PUT', headers, body: JSON.stringify({events_per_second: value})});
}

async function setRate(raw) {
  const message = $('rate-message');
  const text = String(raw).trim();
  const number = Number(text);
  // The server is the one judge of a rate: anything that is not a plain number goes as typed.
  const value = text !== '' && Number.isFinite(number) ? number : (text === '' ? null : text);
  message.className = 'rate-message';
  message.textContent = 'Setting…';
  try {
    let response = await putRate(value);
    if (response.status === 401) {
      // The server has producer.control-token set: ask once, keep it for this tab, and try again with it.
      const token = window.prompt('This service needs its control token to change the rate (producer.control-token):');
      if (token) {
        sessionStorage.setItem(TOKEN_KEY, token.trim());
        response = await putRate(value);
      }
    }
    const body = await response.json().catch(() => null);
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
    }
    if (!response.ok) {
      message.className = 'rate-message error';
      message.textContent = body && body.message ? body.message : `The service answered ${response.status}`;
      return;
    }
    renderProducer(body);
    message.className = 'rate-message ok';
    message.textContent = body.paused ? 'Paused.' : `Rate set to ${rate.format(body.events_per_second)} events/s.`;
    $('rate-input').value = '';
  } catch (e) {
    message.className = 'rate-message error';
    message.textContent = 'The service does not answer.';
  }
}

$('rate-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setRate($('rate-input').value);
});
$('rate-pause').addEventListener('click', () => setRate('0'));

// ---- queries -----------------------------------------------------------------------------------------

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) {
    td.className = className;
  }
  return td;
}

// One column per streaming query, one row per figure: it fits beside a chart, and reads like a status board.
const QUERY_ROWS = [
  ['status', 'Status', (q) => {
    const badge = document.createElement('span');
    badge.className = `badge ${q.status}`;
    badge.textContent = q.status;
    return badge;
  }],
  ['last_batch', 'Last batch', (q) => `#${count.format(q.last_batch_id)}, ${ago(q.seconds_since_last_batch)} ago`],
  ['rows_per_second', 'Rows/s', (q) => rate.format(q.rows_per_second)],
  ['last_batch_duration_ms', 'Batch duration', (q) => `${count.format(q.last_batch_duration_ms)} ms`],
  ['last_batch_input_rows', 'Rows in last batch', (q) => count.format(q.last_batch_input_rows)],
  ['offsets_behind_latest', 'Offsets behind latest', (q) => (q.offsets_behind_latest == null ? '–' : count.format(q.offsets_behind_latest))],
  ['input_rows', 'Rows in all batches', (q) => count.format(q.input_rows)],
  ['late_rows_dropped', 'Late rows dropped', (q) => count.format(q.late_rows_dropped)],
  ['rejected_rows', 'Rejected rows', (q) => count.format(q.rejected_rows)],
  ['quarantined_rows', 'Quarantined rows', (q) => count.format(q.quarantined_rows)],
  ['freshness_seconds', 'Table freshness', (q) => (q.freshness_seconds == null ? '–' : `${ago(q.freshness_seconds)} ago`)],
];

function renderQueries(queries) {
  const table = $('queries-table');
  const head = document.createElement('tr');
  head.append(...['Per query', ...queries.map((q) => q.query_name)].map((name) => {
    const th = document.createElement('th');
    th.textContent = name;
    return th;
  }));
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...(queries.length === 0 ? [] : QUERY_ROWS.map(([metric, label, show]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = label;
    tr.append(th, ...queries.map((q) => {
      const td = document.createElement('td');
      td.dataset.query = q.query_name;
      td.dataset.metric = metric;
      td.append(show(q));
      return td;
    }));
    return tr;
  })));
  $('pipeline-card').classList.toggle('is-empty', queries.length === 0);
}

// ---- charts ------------------------------------------------------------------------------------------

const AXIS = {axisLine: {lineStyle: {color: '#c9cfdb'}}, axisLabel: {color: '#6b7385'}, splitLine: {lineStyle: {color: '#eef1f6'}}};
const TOOLTIP = {trigger: 'axis', confine: true, backgroundColor: 'rgba(20,27,45,0.92)', borderWidth: 0, textStyle: {color: '#fff'}};

function setEmpty(chartId, empty) {
  $(chartId).parentElement.classList.toggle('is-empty', empty);
}

/** True when a table already shows these data; otherwise remembers them, and the caller redraws it. */
function unchanged(table, data) {
  const signature = JSON.stringify(data);
  if (table.dataset.signature === signature) {
    return true;
  }
  table.dataset.signature = signature;
  return false;
}

function emptyRow(table, columns, text) {
  const tr = document.createElement('tr');
  const td = cell(text, 'empty-cell');
  td.colSpan = columns;
  tr.append(td);
  table.tBodies[0].replaceChildren(tr);
}

function renderTopProducts(top) {
  const products = top.products;
  const provisional = products.length > 0 && !top.final;
  $('top-products-window').textContent = top.window_start && top.window_end
    ? `window ${clock.format(new Date(top.window_start))}–${clock.format(new Date(top.window_end))} · ${windowState(top, 0)}`
    : 'no window yet';
  setEmpty('top-products-chart', products.length === 0);
  const table = $('top-products-table');
  markProvisional(table, 'views', provisional);
  if (unchanged(table, {products, provisional})) {
    // Same rows as 2 s ago: leave the table alone (a selection in it survives the refresh).
  } else if (products.length === 0) {
    emptyRow(table, 3, 'No data yet');
  } else {
    table.tBodies[0].replaceChildren(...products.map((p) => {
      const tr = document.createElement('tr');
      tr.dataset.productId = p.product_id;
      tr.append(cell(String(p.rank)), cell(p.product_id), cell(count.format(p.view_count), provisional ? 'num provisional' : 'num'));
      return tr;
    }));
  }
  const c = chart('top-products-chart');
  if (!c) {
    return;
  }
  c.setOption({
    animation: ANIMATE,
    grid: {left: 8, right: 46, top: 8, bottom: 8, containLabel: true},
    tooltip: {...TOOLTIP, axisPointer: {type: 'shadow'}},
    xAxis: {type: 'value', ...AXIS, minInterval: 1},
    yAxis: {type: 'category', inverse: true, data: products.map((p) => p.product_id), ...AXIS, axisTick: {show: false}},
    series: [{
      type: 'bar', name: provisional ? 'views (provisional)' : 'views', barMaxWidth: 22,
      data: products.map((p) => (provisional ? {value: p.view_count, itemStyle: provisionalBar('#4f7cff')} : p.view_count)),
      itemStyle: {color: '#4f7cff', borderRadius: [0, 4, 4, 0]},
      label: {show: true, position: 'right', color: '#1c2434', formatter: (v) => count.format(v.value)},
    }],
  }, {replaceMerge: ['series']});
}

/**
 * An axis tooltip with each series' exact value (the data item's `exact`), not the Number it is drawn at, under the
 * window and how it stands (`state(dataIndex)`). A category drawn as two halves (solid and dashed) is listed once.
 */
function exactTooltip(format, state) {
  const encode = (text) => window.echarts.format.encodeHTML(String(text));
  return (items) => {
    const list = (Array.isArray(items) ? items : [items]).filter((p) => p.data !== '-' && p.data != null);
    const seen = new Set();
    const lines = list.filter((p) => !seen.has(p.seriesName) && seen.add(p.seriesName))
      .map((p) => `${p.marker}${encode(p.seriesName)}<span class="tooltip-value">`
        + `${encode(format(p.data && p.data.exact !== undefined ? p.data.exact : p.value))}</span>`);
    const first = list[0] || (Array.isArray(items) ? items[0] : items);
    const title = `${encode(first.axisValueLabel || '')} <span class="tooltip-window">${encode(state(first.dataIndex))}</span>`;
    return [title, ...lines].join('<br>');
  };
}

/** One card of category series: `places` 0 for event counts, 2 for revenue; its figures shown exactly. */
function renderCategories(prefix, data, kind, places) {
  const format = (v) => exact(v, places);
  const windows = data.windows;
  const categories = data.categories;
  const first = windows[0];
  const last = windows[windows.length - 1];
  const open = windows.filter((w) => !w.final).length;
  $(`${prefix}-range`).textContent = windows.length === 0 ? 'no window yet'
    : `${windows.length} window${windows.length === 1 ? '' : 's'}, ${clock.format(new Date(first.window_start))}–${clock.format(new Date(last.window_end))}`
      + (open === 0 ? '' : ` · ${open} provisional`);
  setEmpty(`${prefix}-chart`, windows.length === 0);
  const table = $(`${prefix}-table`);
  // Latest: the newest window's figure; Total: over every window shown, provisional when any of them is.
  const latestOpen = windows.length > 0 && !last.final;
  markProvisional(table, 'latest', latestOpen);
  markProvisional(table, 'total', open > 0);
  if (unchanged(table, {categories, latestOpen, open})) {
    // Same rows as 2 s ago.
  } else if (categories.length === 0) {
    emptyRow(table, 3, 'No data yet');
  } else {
    table.tBodies[0].replaceChildren(...categories.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.category = s.category;
      const name = cell('');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colorOf(s.category);
      name.append(swatch, document.createTextNode(s.category));
      tr.append(name, cell(format(s.values[s.values.length - 1]), latestOpen ? 'num provisional' : 'num'),
        cell(exactSum(s.values, places), open > 0 ? 'num provisional' : 'num'));
      return tr;
    }));
  }
  const c = chart(`${prefix}-chart`);
  if (!c) {
    return;
  }
  const labels = windows.map((w) => clock.format(new Date(w.window_start)));
  c.setOption({
    animation: ANIMATE,
    // The table beside the chart, with the same colours, is its legend.
    grid: {left: 8, right: 22, top: 12, bottom: 6, containLabel: true},
    tooltip: {...TOOLTIP, formatter: exactTooltip(format, (i) => (windows[i] ? windowState(windows[i], places) : ''))},
    xAxis: {type: 'category', data: labels, boundaryGap: kind === 'bar', ...AXIS},
    yAxis: {type: 'value', ...AXIS, axisLabel: {color: '#6b7385', formatter: (v) => count.format(v)}},
    series: categories.flatMap((s) => (kind === 'bar'
      ? [{id: s.category, type: 'bar', stack: 'events', name: s.category, color: colorOf(s.category), barMaxWidth: 34, emphasis: {focus: 'series'},
        data: points(s.values).map((p, i) => (windows[i].final ? p : {...p, itemStyle: provisionalBar(colorOf(s.category))}))}]
      : lineSeries(s, windows))),
  }, {replaceMerge: ['series']});
}

/** A series' values as chart points: drawn at the Number, the exact text kept for the tooltip. */
function points(values) {
  return values.map((v) => ({value: Number(v), exact: v}));
}

// ---- final and provisional windows ---------------------------------------------------------------------
// A window is final once the job's watermark has passed its end (no on-time event can change it); until then it is
// open and its figures are provisional: drawn lighter (bars) or dashed (lines), marked in the tables. Final windows
// are drawn solid, and say the audit's verdict once it has one.

/** Bars of an open window: lighter, with a dashed outline in the bar's colour. */
function provisionalBar(color) {
  return {opacity: 0.4, borderColor: color, borderType: 'dashed', borderWidth: 1};
}

/** How a window stands, in words: "provisional", "final", "final, audited exact", "final, audit off by -4.99". */
function windowState(w, places) {
  if (!w.final) {
    return 'provisional';
  }
  if (!w.audit) {
    return 'final';
  }
  if (w.audit.verdict === 'exact') {
    return 'final, audited exact';
  }
  const keys = w.audit.mismatched_keys;
  return `final, audit off by ${exact(w.audit.unexplained, places)} (${count.format(keys)} key${keys === 1 ? '' : 's'})`;
}

/** A table's column header with, or without, the "provisional" marker. */
function markProvisional(table, column, provisional) {
  const th = table.querySelector(`th[data-column="${column}"]`);
  let badge = th.querySelector('.badge.provisional');
  if (provisional && !badge) {
    badge = document.createElement('span');
    badge.className = 'badge provisional';
    badge.textContent = 'provisional';
    badge.title = 'Its window is still open: the watermark has not passed its end, so events may still change it.';
    th.append(badge);
  } else if (!provisional && badge) {
    badge.remove();
  }
}

/**
 * A category's line, solid over final windows and dashed into and across open ones: two series of the same name and
 * colour (the dashed one starts at the last final point, so the line stays connected); '-' leaves a gap.
 */
function lineSeries(s, windows) {
  const data = points(s.values);
  const open = windows.map((w) => !w.final);
  // Ids of their own: the chart replaces its series by id, and the two halves share a name.
  const line = (type) => ({id: `${s.category}\u0000${type}`, type: 'line', name: s.category, color: colorOf(s.category), smooth: 0.25, symbolSize: 5,
    lineStyle: {width: 2, type}, emphasis: {focus: 'series'}});
  const settled = {...line('solid'), symbol: 'circle', data: data.map((p, i) => (open[i] ? '-' : p))};
  if (!open.some(Boolean)) {
    return [settled];
  }
  const provisional = {...line('dashed'), symbol: 'emptyCircle',
    // A final point it starts from keeps the solid half's filled symbol.
    data: data.map((p, i) => (open[i] ? p : (open[i + 1] || (i > 0 && open[i - 1]) ? {...p, symbol: 'none'} : '-')))};
  return open.every(Boolean) ? [provisional] : [settled, provisional];
}

// ---- audit ---------------------------------------------------------------------------------------------

/** One line: every audited window exact, or the oldest that is not (its first table off and by how much). */
function renderAudit(audit) {
  const line = $('audit-line');
  const mismatch = audit.first_mismatch;
  if (audit.windows_audited === 0) {
    line.dataset.audit = 'none';
    line.textContent = 'not audited yet';
    line.title = 'The analytics job audits its closed windows every AUDIT_INTERVAL (5 minutes by default).';
  } else if (!mismatch) {
    line.dataset.audit = 'exact';
    const n = audit.windows_audited;
    line.textContent = `audited: ${count.format(n)} window${n === 1 ? '' : 's'} exact`;
    line.title = `last audit ${clockSeconds.format(new Date(audit.last_audited_at))}`;
  } else {
    line.dataset.audit = 'mismatch';
    const by = exact(mismatch.unexplained, mismatch.table === 'category_revenue_window' ? 2 : 0);
    line.textContent = `audit: window ${clock.format(new Date(mismatch.window_start))}–${clock.format(new Date(mismatch.window_end))}`
      + ` of ${mismatch.table} off by ${by}`;
    line.title = mismatch.key == null ? '' : `first key off: ${mismatch.key}`;
  }
}

// ---- quarantine ------------------------------------------------------------------------------------------

/** One line while the quarantine holds rows the database refused (issue 28); none while it is empty. */
function renderQuarantine(rows) {
  const line = $('quarantine-line');
  line.hidden = !rows;
  line.textContent = rows ? `quarantined: ${count.format(rows)} row${rows === 1 ? '' : 's'} the database refused`
    + ' (see the table quarantined_rows)' : '';
}

// ---- polling -----------------------------------------------------------------------------------------

const WAITING = 'Waiting for the first window…';
let shownOnce = false;

/** Before any snapshot came, the panels say why they are empty (after one, its figures stay, dimmed). */
function showNothingYet(reason) {
  document.querySelectorAll('.chart-box').forEach((box) => {
    box.querySelector('.empty').textContent = reason;
    box.classList.add('is-empty');
  });
  $('queries-empty').textContent = reason;
  $('pipeline-card').classList.add('is-empty');
}

function render(snapshot) {
  const pipeline = snapshot.pipeline;
  if (!shownOnce) {
    shownOnce = true;
    document.querySelectorAll('.chart-box .empty').forEach((overlay) => { overlay.textContent = WAITING; });
    $('queries-empty').textContent = 'No batch reported yet.';
  }
  document.body.classList.remove('stale');
  showStatus(pipeline.status, describe(pipeline));
  $('updated-at').textContent = `updated ${clockSeconds.format(new Date(pipeline.checked_at))}`;
  renderProducer(pipeline.producer);
  $('freshness').textContent = pipeline.freshness_seconds == null ? '–' : `${ago(pipeline.freshness_seconds)} ago`;
  $('rejected-events').textContent = count.format(pipeline.rejected_events);
  renderQuarantine(pipeline.quarantined_rows);
  $('offsets-behind').textContent = pipeline.offsets_behind_latest == null ? '–' : count.format(pipeline.offsets_behind_latest);
  renderQueries(pipeline.queries);
  renderTopProducts(snapshot.top_products);
  renderCategories('category-events', snapshot.category_events, 'bar', 0);
  renderCategories('category-revenue', snapshot.category_revenue, 'line', 2);
  renderAudit(snapshot.audit);
}

async function refreshProducerOnly() {
  try {
    const response = await fetch('/producer', {cache: 'no-store'});
    if (response.ok) {
      renderProducer(await response.json());
    }
  } catch (e) {
    // The status banner already says the service does not answer.
  }
}

async function poll() {
  try {
    const response = await fetch(`/dashboard/snapshot?windows=${WINDOWS}`, {cache: 'no-store'});
    const text = await response.text();
    let body = null;
    try {
      body = parseKeepingAmounts(text);
    } catch (e) {
      // Not JSON (a proxy's error page): the status says enough.
    }
    if (response.ok && body) {
      render(body);
    } else {
      // Keep the last figures on screen, dimmed, and say why they are not current.
      document.body.classList.add('stale');
      const message = body && body.message ? body.message : `The service answered ${response.status}.`;
      if (response.status === 503) {
        showStatus('database_unavailable', `Database unavailable: ${message}`);
      } else {
        showStatus('unreachable', `The snapshot failed (${response.status}): ${message}`);
      }
      if (!shownOnce) {
        showNothingYet(response.status === 503 ? 'No figures: the analytics database is unavailable.' : 'No figures: the snapshot failed.');
      }
      await refreshProducerOnly();
    }
  } catch (e) {
    document.body.classList.add('stale');
    showStatus('unreachable');
    if (!shownOnce) {
      showNothingYet('No figures: the service does not answer.');
    }
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

if (window.echarts) {
  poll();
} else {
  // The chart library is a deferred script: wait for it, but show the figures even if it never comes.
  window.addEventListener('load', poll, {once: true});
}
