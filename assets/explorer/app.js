// wfmc explorer: reads the controls, asks POST /api/run for the run they describe,
// and replaces the whole view with the answer. A newer change cancels the request
// in flight (here and, through the page id, on the server); until its answer
// comes, the old view is marked stale, never mixed with the new one.
'use strict';

const CONTROLS = {
  salary: [
    ['salary_growth', 'Growth a year'],
    ['salary_path', 'Year by year'],
  ],
  families: [
    ['uncertainty.demand_ratio.dist', 'Demand: spread'],
    ['uncertainty.demand_ratio.rho', 'Demand: ρ'],
    ['uncertainty.flow_rate.dist', 'Flows: spread'],
    ['uncertainty.flow_rate.rho', 'Flows: ρ'],
    ['uncertainty.skill_mix.concentration', 'Skill mix: concentration'],
    ['uncertainty.band.p', 'Band probabilities'],
  ],
};

const page = Math.random().toString(36).slice(2) + Date.now().toString(36);
let config = null;
let base = {}; // path -> the config's value text
let seq = 0;
let inflight = null;
let last = null; // the last answer shown
let timer = null;

const $ = (id) => document.getElementById(id);

function setState(state, text) {
  document.body.dataset.state = state;
  $('status').textContent = text;
  $('status').className = state;
  document.body.dataset.errors = window.__errors.join(' | ');
}

function el(tag, attrs, children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children || []) e.appendChild(c);
  return e;
}

function round(x) {
  return Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : '';
}

function lastYear() {
  return config.years[config.years.length - 1];
}

// Headings that name the config's years and title.
function label() {
  const first = config.years[0];
  $('title').textContent = 'What if? ' + config.title + ', ' + first + '–' + lastYear();
  $('headline-year').textContent = 'Headline, ' + lastYear();
  $('inflow-head').title = 'extra entrants a year from ' + (first + 1) + ', WTE';
}

function build() {
  label();
  $('draws').value = config.draws;
  $('draws').max = config.max_draws;
  $('precision').value = config.precision;
  $('seed').value = config.seed;
  const stress = $('stress');
  for (const p of config.stress) {
    const box = el('input', { type: 'checkbox', 'data-stress': p.name });
    const label = el('label', { class: 'check', title: p.set.join('\n') }, [box]);
    label.appendChild(document.createTextNode(' ' + p.name));
    stress.appendChild(label);
    stress.appendChild(el('p', { class: 'help', text: p.description }));
  }
  const iv = $('interventions');
  iv.hidden = config.interventions.length === 0;
  for (const i of config.interventions) {
    const box = el('input', { type: 'checkbox', 'data-intervention': i.name });
    box.checked = i.active;
    const label = el('label', { class: 'check' }, [box]);
    label.appendChild(document.createTextNode(' ' + i.name));
    iv.appendChild(label);
    iv.appendChild(el('p', { class: 'help', text: i.description }));
  }
  for (const [box, list] of Object.entries(CONTROLS)) {
    for (const [path, label] of list) {
      const v = config.values[path];
      base[path] = v === null || v === undefined ? '' : v;
      const input = el('input', { type: 'text', 'data-path': path, spellcheck: 'false' });
      input.value = base[path];
      input.placeholder = base[path] === '' ? 'not set' : '';
      $(box).appendChild(el('label', { class: 'field' }, [el('span', { text: label }), input]));
    }
  }
  const head = $('area-table').querySelector('thead tr');
  for (const s of config.scenarios) {
    head.appendChild(el('th', { title: lastYear() + ' demand over the ' + config.years[0] + ' workforce', text: 'Demand ratio, ' + s.label }));
  }
  const body = $('area-table').querySelector('tbody');
  for (const a of config.areas) {
    const cell = (path, placeholder) => {
      const input = el('input', { type: 'text', 'data-path': path, placeholder: placeholder, spellcheck: 'false' });
      return el('td', {}, [input]);
    };
    body.appendChild(el('tr', {}, [
      el('td', { text: a.label }),
      cell('supply.' + a.key + '.flow_rate', round(a.flow_rate)),
      cell('supply.' + a.key + '.extra_inflow', round(a.extra_inflow)),
      ...config.scenarios.map((s) => cell('demand.' + s.key + '.' + a.key + '.ratio', round(a.ratio[s.key]))),
    ]));
  }
  for (const s of config.scenarios) $('pick-scenario').appendChild(el('option', { value: s.key, text: s.label }));
  $('pick-area').appendChild(el('option', { value: 'total', text: 'All areas' }));
  for (const a of config.areas) $('pick-area').appendChild(el('option', { value: a.key, text: a.label }));
  $('form').addEventListener('change', (e) => {
    if (e.target.id === 'pick-scenario' || e.target.id === 'pick-area') return;
    changed();
  });
  // Text fields rerun after a pause in typing as well as on leaving them.
  $('form').addEventListener('input', (e) => {
    if (e.target.type !== 'text' && e.target.tagName !== 'TEXTAREA') return;
    clearTimeout(timer);
    timer = setTimeout(changed, 800);
  });
  $('pick-scenario').addEventListener('change', charts);
  $('pick-area').addEventListener('change', charts);
  $('pick-scenario').addEventListener('change', whyLabel);
  $('pick-area').addEventListener('change', whyLabel);
  $('why-button').addEventListener('click', why);
  $('why-threshold').addEventListener('input', whyClear);
  $('reset').addEventListener('click', reset);
  whyLabel();
}

// The "why short?" answer belongs to one area, scenario and set of assumptions:
// any change hides it until asked again.
function whyLabel() {
  const a = $('pick-area');
  $('why-button').textContent = 'Why does ' + a.options[a.selectedIndex].text.toLowerCase().replace(/^all areas$/, 'the total') +
    ' fall short (' + $('pick-scenario').value + ', ' + lastYear() + ')?';
  whyClear();
}

let whySeq = 0;
let whyFlight = null;

function whyClear() {
  whySeq++;
  if (whyFlight) whyFlight.abort();
  $('why-answer').hidden = true;
  $('why-status').textContent = '';
  document.body.dataset.why = 'none';
}

async function why() {
  let body;
  try {
    const r = request();
    body = { set: r.set, stress: r.stress, seed: r.seed, page: page, area: $('pick-area').value, scenario: $('pick-scenario').value };
    const t = $('why-threshold').value.trim();
    if (t !== '') {
      body.threshold = Number(t);
      if (!(body.threshold >= 0)) throw new Error('short by more than: a number of WTE from 0, or empty');
    }
  } catch (e) {
    $('why-status').textContent = e.message;
    return;
  }
  whyClear();
  const mine = whySeq;
  whyFlight = new AbortController();
  document.body.dataset.why = 'running';
  $('why-status').textContent = 'Finding the box…';
  let res, doc;
  try {
    res = await fetch('/api/discover', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: whyFlight.signal,
    });
    doc = await res.json();
  } catch (e) {
    if (e.name === 'AbortError' || mine !== whySeq) return;
    $('why-status').textContent = 'The server did not answer (' + e.message + ').';
    document.body.dataset.why = 'error';
    return;
  }
  if (mine !== whySeq || doc.superseded) return;
  if (!res.ok) {
    $('why-status').textContent = doc.error || ('HTTP ' + res.status);
    document.body.dataset.why = 'error';
    return;
  }
  $('why-box').innerHTML = doc.html;
  $('why-command').textContent = doc.command;
  $('why-answer').hidden = false;
  $('why-status').textContent = doc.draws.toLocaleString('en-GB') + ' draws, ' + doc.seconds.toFixed(2) + ' s.';
  document.body.dataset.why = 'ready';
}

function reset() {
  for (const input of document.querySelectorAll('[data-path]')) {
    input.value = base[input.dataset.path] !== undefined ? base[input.dataset.path] : '';
  }
  for (const box of document.querySelectorAll('[data-stress]')) box.checked = false;
  for (const box of document.querySelectorAll('[data-intervention]')) {
    box.checked = config.interventions.some((i) => i.name === box.dataset.intervention && i.active);
  }
  $('extra').value = '';
  $('draws').value = config.draws;
  $('precision').value = config.precision;
  $('seed').value = config.seed;
  changed();
}

// The request the controls describe, or a message naming what is wrong.
function request() {
  const set = {};
  for (const input of document.querySelectorAll('[data-path]')) {
    const v = input.value.trim();
    const b = base[input.dataset.path];
    if (v !== '' && (b === undefined || v !== b.trim())) set[input.dataset.path] = v;
  }
  for (const box of document.querySelectorAll('[data-intervention]')) {
    const i = config.interventions.find((x) => x.name === box.dataset.intervention);
    if (box.checked !== i.active) set['interventions.' + i.name + '.active'] = box.checked;
  }
  for (const line of $('extra').value.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const i = t.indexOf('=');
    if (i <= 0) throw new Error('"' + t + '": expected PATH=VALUE');
    set[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  const stress = [...document.querySelectorAll('[data-stress]')].filter((b) => b.checked).map((b) => b.dataset.stress);
  const draws = Number($('draws').value);
  const seed = Number($('seed').value);
  if (!Number.isInteger(draws) || draws < 1) throw new Error('draws: a whole number from 1');
  if (!Number.isInteger(seed) || seed < 0) throw new Error('seed: a whole number from 0');
  const p = $('precision').value.trim();
  const precision = p === '' ? undefined : Number(p);
  if (precision !== undefined && !(precision > 0 && precision < 1)) {
    throw new Error('precision: a standard error above 0 and below 1, or empty for every draw');
  }
  return { set, stress, draws, seed, page, compare: $('compare').checked, precision };
}

async function changed() {
  clearTimeout(timer);
  whyClear();
  let body;
  try {
    body = request();
  } catch (e) {
    showError(e.message);
    return;
  }
  const mine = ++seq;
  if (inflight) inflight.abort();
  inflight = new AbortController();
  $('stale').hidden = last === null;
  $('results').classList.toggle('stale', last !== null);
  setState('running', body.precision === undefined
    ? 'Running ' + body.draws.toLocaleString('en-GB') + ' draws…'
    : 'Running to a standard error of ' + body.precision + ' (at most ' + body.draws.toLocaleString('en-GB') + ' draws)…');
  let res, doc;
  try {
    res = await fetch('/api/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: inflight.signal,
    });
    doc = await res.json();
  } catch (e) {
    if (e.name === 'AbortError' || mine !== seq) return;
    showError('The server did not answer (' + e.message + '). Is wfmc serve still running?');
    return;
  }
  if (mine !== seq || doc.superseded) return;
  if (!res.ok) {
    showError(doc.error || ('HTTP ' + res.status));
    return;
  }
  show(doc);
}

function showError(msg) {
  $('error').textContent = msg;
  $('error').hidden = false;
  // The view stays marked stale: it is not what the controls say.
  $('stale').hidden = last === null;
  $('results').classList.toggle('stale', last !== null);
  setState('error', 'Not run: see the message above the results.');
}

function show(doc) {
  last = doc;
  $('error').hidden = true;
  $('headline').innerHTML = doc.headline_html;
  $('comparison-box').hidden = !doc.comparison_html;
  $('comparison').innerHTML = doc.comparison_html || '';
  $('command').textContent = doc.command;
  $('diff').textContent = doc.diff || '(nothing: the config as it is)';
  const links = $('downloads');
  links.textContent = 'Download: ';
  for (const [name, text, kind] of [
    ['bands.csv', doc.bands_csv, 'text/csv'],
    ['shortfall.csv', doc.shortfall_csv, 'text/csv'],
    ['summary.json', JSON.stringify(doc.summary, null, 2) + '\n', 'application/json'],
  ]) {
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: kind })), download: name, text: name });
    links.appendChild(a);
    links.appendChild(document.createTextNode(' '));
  }
  charts();
  $('stale').hidden = true;
  $('results').classList.remove('stale');
  document.body.dataset.run = String(Number(document.body.dataset.run) + 1);
  const reached = doc.precision
    ? ', largest standard error of P(shortfall) ' + doc.precision.se.toFixed(4) + ' (' + doc.precision.worst + ')' +
      (doc.precision.met ? '' : ', short of the target ' + doc.precision.target + ': the draws ran out')
    : '';
  setState('ready', 'Up to date: ' + doc.draws.toLocaleString('en-GB') + ' draws, seed ' + doc.seed +
    reached + ', ' + doc.seconds.toFixed(2) + ' s.');
}

function charts() {
  if (!last) return;
  const s = $('pick-scenario').value;
  const a = $('pick-area').value;
  const find = (file) => last.charts.find((c) => c.file === file);
  const put = (id, chart) => {
    const fig = $(id);
    fig.innerHTML = chart ? chart.svg : '';
    if (chart) fig.appendChild(el('figcaption', { text: chart.title }));
  };
  put('fan', find('fan-' + s + '-' + a + '.svg'));
  put('heat', find('shortfall-heatmap-' + s + '.svg'));
  put('tornado', find('tornado-' + s + '-gap-' + a + '-' + lastYear() + '.svg'));
}

async function start() {
  try {
    const res = await fetch('/api/config');
    config = await res.json();
  } catch (e) {
    setState('error', 'Could not read the config from the server: ' + e.message);
    return;
  }
  document.title = 'wfmc explorer: ' + config.name;
  build();
  changed();
}

start();
