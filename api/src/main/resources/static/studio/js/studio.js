// The studio page (docs/studio.md): sign-in, rulesets and versions, the editor, try it, the
// audience count, the funnel and simulations. Every action is a call of ./api.js, which a script could make.
import * as api from './api.js';
import * as editor from './editor.js';

const $ = (id) => document.getElementById(id);
const COUNT_DELAY_MS = 400;
const SIMULATION_POLL_MS = 500;

let ruleset = null;
let detail = null;

function status(text) {
  $('status').textContent = text;
}

function alertText(text) {
  $('alert').textContent = text;
}

/** Shows a failed call's problem; a 401 means the key is not (or no longer) valid. */
function failed(e) {
  if (e instanceof api.Problem && e.status === 401) {
    api.signOut();
    showSignedIn(false);
  }
  alertText(e.message);
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  row.appendChild(td);
  return td;
}

function button(text, label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function options(select, values, selected) {
  select.replaceChildren(...values.map((v) => {
    const o = document.createElement('option');
    o.value = String(v.value ?? v);
    o.textContent = String(v.label ?? v);
    o.selected = String(v.value ?? v) === String(selected);
    return o;
  }));
}

/** A confirmation in a modal dialog (keyboard: Tab between the buttons, Escape cancels). */
function confirmed(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = 'cancel';
    dialog.showModal();
    $('confirm-ok').focus();
  });
}

// ---- sign-in -------------------------------------------------------------------------------

function showSignedIn(yes) {
  $('sign-in').hidden = yes;
  $('signed-in').hidden = !yes;
  $('studio').hidden = !yes;
}

async function start() {
  try {
    const list = await api.get('/rulesets');
    showSignedIn(true);
    alertText('');
    $('who').textContent = 'Signed in';
    await editor.load();
    if (!editorReady) {
      editor.create($('editor'), problems);
      editorReady = true;
    }
    // `?ruleset=NAME` opens that ruleset (a link to it); else the first one.
    const asked = new URLSearchParams(location.search).get('ruleset');
    const first = list.some((r) => r.name === asked) ? asked : list.length ? list[0].name : null;
    options($('ruleset'), list.map((r) => r.name), first);
    if (first) {
      await openRuleset(first);
    }
    status('Ready.');
  } catch (e) {
    failed(e);
    if (e instanceof api.Problem && e.status === 403) {
      alertText('This key cannot read rulesets: the studio needs a key with the author role.');
    }
  }
}
let editorReady = false;

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  api.signIn($('api-key').value);
  $('api-key').value = '';
  start();
});

$('sign-out').addEventListener('click', () => {
  api.signOut();
  simulation = null; // stop following it
  $('sim-cancel').disabled = true;
  showSignedIn(false);
  status('Signed out.');
  $('api-key').focus();
});

// ---- tabs (arrow keys move between them, as the ARIA tabs pattern says) ---------------------

const tabs = [...document.querySelectorAll('[role=tab]')];
function selectTab(tab) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    $(t.getAttribute('aria-controls')).hidden = !selected;
  }
  tab.focus();
  if (tab.id === 'tab-funnel') {
    funnel();
  }
  if (tab.id === 'tab-audience') {
    scheduleCount(0);
  }
  if (tab.id === 'tab-simulations') {
    defaultPeriod();
  }
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      selectTab(tabs[(next + tabs.length) % tabs.length]);
    }
  });
}

// ---- rulesets, versions, save, activate, diff ----------------------------------------------

function problems(list, error) {
  const ul = $('problems');
  if (error) {
    ul.replaceChildren();
    failed(error);
    return;
  }
  ul.replaceChildren(...list.map((d) => {
    const li = document.createElement('li');
    li.className = d.severity;
    const where = `${d.file}:${d.line}:${d.column}`;
    li.textContent = `${where}: ${d.severity}: ${d.message}` + (d.suggestion ? ` (did you mean ${d.suggestion}?) ` : '');
    if (d.suggestion) {
      // The quick fix for keyboard and screen-reader users too (in the editor: Ctrl+.).
      const fix = button(`Replace with ${d.suggestion}`, `Replace at ${where} with ${d.suggestion}`,
        () => editor.applySuggestion(d));
      fix.className = 'fix';
      li.appendChild(fix);
    }
    return li;
  }));
  if (!list.length) {
    const li = document.createElement('li');
    li.textContent = 'No problems.';
    ul.appendChild(li);
  }
}

async function openRuleset(name, version) {
  ruleset = name;
  detail = await api.get('/rulesets/' + api.seg(name));
  let files = detail.files;
  if (version !== undefined && version !== detail.activeVersion) {
    files = (await api.get(`/rulesets/${api.seg(name)}/versions/${version}`)).files;
  }
  editor.setFiles(files);
  options($('file'), editor.names(), editor.current());
  versions();
}

function versions() {
  const rows = [...detail.versions].sort((a, b) => b.version - a.version).map((v) => {
    const tr = document.createElement('tr');
    cell(tr, v.version);
    cell(tr, v.createdBy);
    cell(tr, new Date(v.createdAt).toLocaleString());
    cell(tr, v.active ? 'active' : '');
    const actions = cell(tr, '');
    actions.appendChild(button('Open', `Open version ${v.version} in the editor`, () => openRuleset(ruleset, v.version)
      .then(() => status(`Version ${v.version} is in the editor.`)).catch(failed)));
    if (!v.active) {
      const older = detail.activeVersion != null && v.version < detail.activeVersion;
      actions.appendChild(button(older ? 'Roll back' : 'Activate',
        `${older ? 'Roll back to' : 'Activate'} version ${v.version}`, () => activate(v.version, older)));
    }
    tr.dataset.version = v.version;
    return tr;
  });
  $('versions').replaceChildren(...rows);
  const numbers = detail.versions.map((v) => v.version).sort((a, b) => a - b);
  options($('diff-left'), numbers, numbers.length > 1 ? numbers[numbers.length - 2] : numbers[0]);
  options($('diff-right'), numbers, numbers[numbers.length - 1]);
  // The newest version first and picked: the one just saved is the one to simulate.
  options($('sim-version'), [...numbers].reverse().map((n) => ({ value: n, label: n === detail.activeVersion
    ? `${n} (active)` : String(n) })), numbers[numbers.length - 1]);
}

async function activate(version, rollback) {
  const text = rollback
    ? `Roll back "${ruleset}" to version ${version}? Decisions use it from now on.`
    : `Activate version ${version} of "${ruleset}"? Decisions use it from now on.`;
  if (!(await confirmed(text))) {
    status('Nothing changed.');
    return;
  }
  try {
    await api.post(`/rulesets/${api.seg(ruleset)}/versions/${version}/activate`);
    detail = await api.get('/rulesets/' + api.seg(ruleset));
    versions();
    status(`Version ${version} is active.`);
  } catch (e) {
    failed(e);
  }
}

$('ruleset').addEventListener('change', () => openRuleset($('ruleset').value).catch(failed));
$('file').addEventListener('change', () => editor.show($('file').value));
$('format').addEventListener('click', () => editor.format().catch(failed));

$('save').addEventListener('click', async () => {
  try {
    const stored = await api.put(`/rulesets/${api.seg(ruleset)}?activate=false`, { files: editor.files() });
    detail = await api.get('/rulesets/' + api.seg(ruleset));
    versions();
    editor.markers(stored.diagnostics || []);
    alertText('');
    status(`Saved as version ${stored.version} (not active: activate it in the list).`);
  } catch (e) {
    if (e instanceof api.Problem && e.body.diagnostics) {
      editor.markers(e.body.diagnostics);
    }
    failed(e);
  }
});

$('diff').addEventListener('click', async () => {
  try {
    const [left, right] = await Promise.all([$('diff-left').value, $('diff-right').value]
      .map((v) => api.get(`/rulesets/${api.seg(ruleset)}/versions/${v}`)));
    const names = [...new Set([...Object.keys(left.files), ...Object.keys(right.files)])].sort();
    const changed = names.find((n) => left.files[n] !== right.files[n]) || names[0];
    options($('diff-file'), names, changed);
    const render = () => editor.diff($('diff-editor'), $('diff-file').value,
      left.files[$('diff-file').value], right.files[$('diff-file').value]);
    $('diff-file').onchange = render;
    $('diff-section').hidden = false;
    render();
    $('diff-title').textContent = `Differences: version ${left.version} (left) and version ${right.version} (right)`;
    $('diff-file').focus();
  } catch (e) {
    failed(e);
  }
});
$('diff-close').addEventListener('click', () => {
  $('diff-section').hidden = true;
  $('diff').focus();
});

// ---- try it -------------------------------------------------------------------------------

for (const radio of document.querySelectorAll('input[name=contact-source]')) {
  radio.addEventListener('change', () => {
    const stored = document.querySelector('input[name=contact-source]:checked').value === 'stored';
    $('stored-contact').hidden = !stored;
    $('json-contact').hidden = stored;
  });
}

function tryRequest() {
  const body = { ruleset, trace: 'all' };
  if (document.querySelector('input[name=contact-source]:checked').value === 'stored') {
    body.contactId = $('contact-id').value.trim();
  } else {
    body.contact = JSON.parse($('contact-json').value);
  }
  const type = $('event-type').value.trim();
  if (type) {
    body.event = { type, attributes: JSON.parse($('event-attributes').value || '{}') };
  }
  return body;
}

/** One trial: the text in the editor (`edited`), or the active version. */
function tryIt(body, edited) {
  return api.post(`/rulesets/${api.seg(ruleset)}/try`, edited ? { ...body, files: editor.files() } : body);
}

/** Runs a trial, showing what went wrong (invalid text: its diagnostics as markers). */
async function trial(run) {
  let body;
  try {
    body = tryRequest();
  } catch (e) {
    alertText('The contact or the event attributes are not valid JSON: ' + e.message);
    return;
  }
  try {
    await run(body);
    alertText('');
  } catch (e) {
    if (e instanceof api.Problem && e.body.diagnostics) {
      editor.markers(e.body.diagnostics);
    }
    failed(e);
  }
}

$('try-form').addEventListener('submit', (event) => {
  event.preventDefault();
  trial(async (body) => {
    $('try-compare-result').replaceChildren();
    showDecision(await tryIt(body, true));
  });
});

$('try-compare').addEventListener('click', () => trial(async (body) => {
  const [active, edited] = await Promise.all([tryIt(body, false), tryIt(body, true)]);
  showDecision(edited);
  showComparison(active, edited);
}));

/** The rules that fired with the active version and with the edited text, side by side. */
function showComparison(active, edited) {
  const fired = (d) => new Set((d.trace || []).filter((t) => t.fired).map((t) => t.rule));
  const reached = (d) => (d.trace || []).map((t) => t.rule);
  const a = fired(active);
  const e = fired(edited);
  // The rules that fire differently first, then the others, each in rule order.
  const rules = [...new Set([...reached(active), ...reached(edited)])]
    .sort((x, y) => Number(a.has(y) !== e.has(y)) - Number(a.has(x) !== e.has(x)));
  const table = document.createElement('table');
  table.className = 'compare-table';
  table.innerHTML = '<caption>Active version and edited text on the same input</caption>'
    + '<thead><tr><th scope="col">Rule</th><th scope="col">Active version</th><th scope="col">Edited text</th></tr></thead>';
  const body = document.createElement('tbody');
  let differences = 0;
  for (const rule of rules) {
    const tr = document.createElement('tr');
    tr.dataset.rule = rule;
    const differs = a.has(rule) !== e.has(rule);
    differences += differs ? 1 : 0;
    tr.className = differs ? 'differs' : '';
    cell(tr, rule);
    cell(tr, a.has(rule) ? 'fired' : 'did not fire');
    cell(tr, e.has(rule) ? 'fired' : 'did not fire');
    body.appendChild(tr);
  }
  table.appendChild(body);
  const h = document.createElement('h3');
  h.textContent = differences === 0 ? 'Same rules fired with both'
    : `${differences} rule(s) fire differently with the edited text`;
  $('try-compare-result').replaceChildren(h, table);
  status(h.textContent + '.');
}

function showDecision(decision) {
  const out = $('try-result');
  const h = document.createElement('h3');
  h.textContent = `Decisions (${decision.decisions.length})`;
  const list = document.createElement('ul');
  list.className = 'decisions';
  for (const d of decision.decisions) {
    const li = document.createElement('li');
    li.textContent = `${d.rule}: ${d.type}` + (d.reason ? ` (${d.reason})` : '');
    list.appendChild(li);
  }
  const table = document.createElement('table');
  table.className = 'trace';
  table.innerHTML = '<caption>Trace: every rule this input could reach</caption>'
    + '<thead><tr><th scope="col">Rule</th><th scope="col">Fired</th><th scope="col">What it compared</th><th scope="col">False part</th></tr></thead>';
  const body = document.createElement('tbody');
  const parts = [];
  for (const t of decision.trace || []) {
    const tr = document.createElement('tr');
    tr.className = t.fired ? 'fired' : 'not-fired';
    tr.dataset.rule = t.rule;
    cell(tr, t.rule);
    cell(tr, t.fired ? 'fired' : 'did not fire');
    cell(tr, t.why);
    const where = cell(tr, '');
    if (t.falsePart) {
      const part = { ...t.falsePart, rule: t.rule, why: t.why };
      parts.push(part);
      where.appendChild(button(`${t.falsePart.file}:${t.falsePart.line}:${t.falsePart.column}`,
        `Show the false part of rule ${t.rule} in the editor`, () => editor.reveal(part)));
    }
    body.appendChild(tr);
  }
  table.appendChild(body);
  out.replaceChildren(h, list, table);
  editor.markFalseParts(parts);
  status(`Tried: ${decision.decisions.length} decision(s), ${parts.length} false part(s) marked in the editor.`);
}

// ---- audience -----------------------------------------------------------------------------

let countTimer;
let countAsked = 0;
function scheduleCount(delay = COUNT_DELAY_MS) {
  clearTimeout(countTimer);
  countTimer = setTimeout(count, delay);
}
$('condition').addEventListener('input', () => scheduleCount());

async function count() {
  const condition = $('condition').value.trim();
  if (!ruleset || !condition) {
    return;
  }
  const asked = ++countAsked;
  try {
    const [answer, sample] = await Promise.all([
      api.post('/audiences/count', { ruleset, condition }),
      api.get(`/leads?limit=10&ruleset=${api.seg(ruleset)}&condition=${api.seg(condition)}`),
    ]);
    if (asked !== countAsked) {
      return; // a later keystroke asked again: its answer is the one to show
    }
    $('audience-count').textContent = String(answer.count);
    $('audience-refusal').textContent = '';
    $('audience-sample').replaceChildren(...sample.leads.map((c) => {
      const tr = document.createElement('tr');
      cell(tr, c.id);
      cell(tr, [c.firstName, c.lastName].filter(Boolean).join(' '));
      cell(tr, c.score);
      cell(tr, c.stage);
      return tr;
    }));
  } catch (e) {
    if (asked !== countAsked) {
      return;
    }
    if (e instanceof api.Problem && e.status === 422) {
      $('audience-count').textContent = 'cannot be counted';
      $('audience-refusal').textContent = conditionRefusal(e.body);
      $('audience-sample').replaceChildren();
      return;
    }
    failed(e);
  }
}

/** Why a condition was refused (422 invalid-condition, not-pushable, query-refused). */
function conditionRefusal(b) {
  const where = b.part ? ` Not countable in the store: ${b.part}` : '';
  const diagnostics = (b.diagnostics || []).map((d) => ` ${d.message}`).join(';');
  return `${b.detail || b.title}.${where}${diagnostics}`;
}

// ---- funnel -------------------------------------------------------------------------------

const charts = new Map();
/** Draws an ECharts chart as SVG in an element (one chart per element, resized with it). */
function drawChart(element, option) {
  let chart = charts.get(element);
  if (!chart) {
    chart = window.echarts.init(element, null, { renderer: 'svg' });
    new ResizeObserver(() => chart.resize()).observe(element);
    charts.set(element, chart);
  }
  chart.setOption({ animation: false, aria: { enabled: true }, ...option });
}

async function funnel() {
  try {
    const [answer, hottest] = await Promise.all([api.get('/funnel?ruleset=' + api.seg(ruleset)),
      api.get('/leads?limit=10')]);
    drawFunnel(answer);
    await leads(hottest.leads);
  } catch (e) {
    failed(e);
  }
}
$('funnel-refresh').addEventListener('click', funnel);

function percent(rate) {
  return rate == null ? '–' : `${(Number(rate) * 100).toFixed(1)} %`;
}

function drawFunnel(answer) {
  const stages = answer.stages;
  drawChart($('funnel-chart'), {
    grid: { left: 50, right: 20, top: 30, bottom: 40 },
    // Every stage named, however narrow the chart (ECharts would skip labels to avoid overlap).
    xAxis: { type: 'category', data: stages.map((s) => s.stage), axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', name: 'contacts' },
    series: [{
      type: 'bar', data: stages.map((s) => s.count),
      label: { show: true, position: 'top',
        formatter: (p) => `${p.value}` + (stages[p.dataIndex].conversionToNext != null
          ? `  → ${percent(stages[p.dataIndex].conversionToNext)}` : '') },
    }],
  });
  $('funnel-chart').setAttribute('aria-label', 'Contacts per stage: ' + stages.map((s) => `${s.stage} ${s.count}`).join(', '));
  $('funnel-table').replaceChildren(...stages.map((s) => {
    const tr = document.createElement('tr');
    cell(tr, s.stage);
    cell(tr, s.count);
    cell(tr, s.atOrBeyond);
    cell(tr, percent(s.conversionToNext));
    return tr;
  }));
}

async function leads(list) {
  const rows = await Promise.all(list.map(async (c) => {
    const tr = document.createElement('tr');
    cell(tr, c.id);
    cell(tr, [c.firstName, c.lastName].filter(Boolean).join(' '));
    cell(tr, c.score);
    cell(tr, c.stage);
    let events = [];
    try {
      events = await api.get(`/contacts/${api.seg(c.id)}/events?limit=3`);
    } catch (e) {
      // a lead without readable events still shows
    }
    const items = Array.isArray(events) ? events : (events.events || []);
    cell(tr, items.map((e) => `${e.type} ${e.at ? new Date(e.at).toLocaleString() : ''}`).join('; ') || 'none');
    return tr;
  }));
  $('leads').replaceChildren(...rows);
}

// ---- simulations --------------------------------------------------------------------------
// POST /simulations replays a period of stored events with the active version and a candidate
// (the editor's text or a stored version); GET /simulations/{id} is polled until it is no longer
// RUNNING; POST /simulations/{id}/cancel stops it (docs/simulations.md).

let simulation = null; // the id of the simulation shown

/** An instant as the API takes it, to the second. */
const instant = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function defaultPeriod() {
  if (!$('sim-from').value && !$('sim-until').value) {
    const now = new Date();
    $('sim-from').value = instant(new Date(now.getTime() - 30 * 24 * 3600 * 1000));
    $('sim-until').value = instant(now);
  }
}

for (const radio of document.querySelectorAll('input[name=sim-candidate]')) {
  radio.addEventListener('change', () => {
    $('sim-version-pick').hidden = document.querySelector('input[name=sim-candidate]:checked').value !== 'version';
  });
}

function simRequest() {
  const files = document.querySelector('input[name=sim-candidate]:checked').value === 'files';
  const body = {
    ruleset,
    candidate: files ? { files: editor.files() } : { version: Number($('sim-version').value) },
    from: $('sim-from').value.trim(),
    until: $('sim-until').value.trim(),
  };
  const filter = $('sim-filter').value.trim();
  if (filter) {
    body.filter = filter;
  }
  return body;
}

$('sim-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('sim-refusal').textContent = '';
  try {
    const started = await api.post('/simulations', simRequest());
    alertText('');
    simulation = started.id;
    showSimulation(started);
    status(`Simulation ${started.id} started.`);
    pollSimulation(started.id);
  } catch (e) {
    if (e instanceof api.Problem && e.status === 422 && e.body.diagnostics && e.body.type?.endsWith('/invalid-ruleset')) {
      editor.markers(e.body.diagnostics); // the candidate's errors, where they are
    } else if (e instanceof api.Problem && e.status === 422) {
      $('sim-refusal').textContent = 'The filter cannot run: ' + conditionRefusal(e.body);
    }
    failed(e);
  }
});

$('sim-cancel').addEventListener('click', async () => {
  try {
    showSimulation(await api.post(`/simulations/${api.seg(simulation)}/cancel`));
    status('Simulation cancelled: the counts so far stay.');
  } catch (e) {
    failed(e);
  }
});

/** Reads the simulation until it ends; a newer simulation started in the meantime stops it. */
async function pollSimulation(id) {
  while (simulation === id) {
    let answer;
    try {
      answer = await api.get(`/simulations/${api.seg(id)}`);
    } catch (e) {
      failed(e);
      return;
    }
    if (simulation !== id) {
      return;
    }
    showSimulation(answer);
    if (answer.state !== 'RUNNING') {
      status(`Simulation ${id}: ${answer.state}.`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, SIMULATION_POLL_MS));
  }
}

/** A signed difference: +3, −2, 0. */
const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** A table of rows (arrays of cells) with a caption; rows whose `differs` is true stand out. */
function simTable(caption, headers, rows, empty) {
  const table = document.createElement('table');
  table.className = 'sim-table';
  const c = document.createElement('caption');
  c.textContent = caption;
  const head = document.createElement('tr');
  for (const h of headers) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.appendChild(th);
  }
  const thead = document.createElement('thead');
  thead.appendChild(head);
  const body = document.createElement('tbody');
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.className = row.differs ? 'differs' : '';
    tr.dataset.key = row.key;
    row.cells.forEach((text) => cell(tr, text));
    body.appendChild(tr);
  }
  if (!rows.length) {
    const tr = document.createElement('tr');
    cell(tr, empty).colSpan = headers.length;
    body.appendChild(tr);
  }
  table.append(c, thead, body);
  return table;
}

/** Rows of counts {active, candidate, difference}, the differing ones first. */
function countRows(list, key, label) {
  return [...list].sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference))
    .map((r) => ({ key: key(r), differs: r.difference !== 0, cells: [...label(r), r.active, r.candidate, signed(r.difference)] }));
}

function finalState(s) {
  const list = (items) => (items.length ? items.join(', ') : 'none');
  return `score ${s.score}, stage ${s.stage}, tier ${s.tier || 'none'}, segments ${list(s.segments)},`
    + ` enrollments ${list(s.enrollments.map((e) => e.campaign + (e.active ? '' : ' (ended)')))}`;
}

/** What differs between a contact's two final states, e.g. "stage LEAD → MQL". */
function changes(a, c) {
  const parts = [];
  for (const part of ['score', 'stage', 'tier', 'segments', 'enrollments']) {
    const show = (v) => (part === 'enrollments' ? v.map((e) => e.campaign).join(', ')
      : Array.isArray(v) ? v.join(', ') : v) || 'none';
    if (JSON.stringify(a[part]) !== JSON.stringify(c[part])) {
      parts.push(`${part} ${show(a[part])} → ${show(c[part])}`);
    }
  }
  return parts.join('; ');
}

function showSimulation(s) {
  const running = s.state === 'RUNNING';
  $('sim-cancel').disabled = !running;
  $('sim-progress').max = Math.max(s.total, 1);
  // Full once done; a cancelled simulation shows how far it got.
  $('sim-progress').value = s.state === 'DONE' ? Math.max(s.total, 1) : s.done;
  $('sim-state').textContent = `${s.state}: ${s.done} of ${s.total} contacts read, ${s.contacts} replayed,`
    + ` ${s.events} events, "${s.ruleset}" active version ${s.activeVersion} against `
    + (s.candidateVersion != null ? `version ${s.candidateVersion}` : 'the text in the editor')
    + (s.errors ? `, ${s.errors} error(s): ${s.errorSamples.join('; ')}` : '');
  const r = s.result;
  if (!r) {
    return;
  }
  const warnings = (s.candidateWarnings || []).map((w) => `${w.file}:${w.line}:${w.column}: warning: ${w.message}`);
  const contacts = r.contacts;
  const summary = document.createElement('h3');
  summary.textContent = `${contacts.changed} contact(s) end differently`
    + ` (stage ${contacts.stage}, tier ${contacts.tier}, segments ${contacts.segments}, enrollments ${contacts.enrollments})`;
  const tables = [
    summary,
    simTable('Decisions by type', ['Type', 'Active', 'Candidate', 'Difference'],
      countRows(r.decisions.byType, (x) => x.type, (x) => [x.type]), 'No decisions.'),
    simTable('Decisions by rule', ['Rule', 'Active', 'Candidate', 'Difference'],
      countRows(r.decisions.byRule, (x) => x.rule, (x) => [x.rule]), 'No decisions.'),
    simTable('Contacts that end differently (a sample, smallest ids first)',
      ['Contact', 'What changed', 'With the active version', 'With the candidate'],
      contacts.sample.map((x) => ({ key: x.contactId, differs: false,
        cells: [x.contactId, changes(x.active, x.candidate), finalState(x.active), finalState(x.candidate)] })),
      'No contact ends differently.'),
    simTable('Alerts by recipient', ['Recipient', 'Active', 'Candidate', 'Difference'],
      countRows(r.alerts, (x) => x.recipient, (x) => [x.recipient]), 'No alerts.'),
    simTable('Messages by campaign and step', ['Campaign', 'Step', 'Active', 'Candidate', 'Difference'],
      countRows(r.messages, (x) => `${x.campaign ?? ''}/${x.step}`, (x) => [x.campaign ?? '(no campaign)', x.step]),
      'No messages.'),
  ];
  if (warnings.length) {
    const ul = document.createElement('ul');
    ul.setAttribute('aria-label', 'Warnings of the candidate');
    ul.replaceChildren(...warnings.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
    tables.splice(1, 0, ul);
  }
  $('sim-tables').replaceChildren(...tables);
  drawSimulation(r.decisions.byType);
}

/** Decisions by type as bars, the active version's beside the candidate's (SVG, like the funnel). */
function drawSimulation(byType) {
  $('sim-chart').hidden = false;
  drawChart($('sim-chart'), {
    legend: { top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: byType.map((t) => t.type), axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', name: 'decisions' },
    series: [
      { name: 'active version', type: 'bar', data: byType.map((t) => t.active) },
      { name: 'candidate', type: 'bar', data: byType.map((t) => t.candidate) },
    ],
  });
  $('sim-chart').setAttribute('aria-label', 'Decisions by type, active version and candidate: '
    + byType.map((t) => `${t.type} ${t.active} and ${t.candidate}`).join(', '));
}

// ---- start --------------------------------------------------------------------------------

if (api.key()) {
  start();
} else {
  showSignedIn(false);
}
