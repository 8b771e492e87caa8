// Shared by smoke.js and load.js. Everything is configured by environment variables so that the same scripts run
// against the compose stack (BASE_URL=https://www.foobar.com, set by compose) and the no-Docker stack:
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e HOST_HEADER=www.foobar.com docker/k6/smoke.js
import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';

export const BASE_URL = (__ENV.BASE_URL || 'http://localhost').replace(/\/+$/, '');
// The Host header the balancer routes on; empty to send the URL's own host.
export const HOST_HEADER = __ENV.HOST_HEADER === undefined ? 'www.foobar.com' : __ENV.HOST_HEADER;
// The X-Served-By values that must all show up.
export const SERVERS = (__ENV.EXPECTED_SERVERS || 'web-1,web-2').split(',').map((s) => s.trim()).filter((s) => s);

// One count per response, tagged with the web server that answered (X-Served-By), or "none".
export const servedBy = new Counter('served_by');

export function params(name, extra) {
  const headers = Object.assign({}, (extra && extra.headers) || {});
  if (HOST_HEADER) {
    headers.Host = HOST_HEADER;
  }
  return Object.assign({}, extra || {}, { headers: headers, tags: Object.assign({ name: name }, (extra && extra.tags) || {}) });
}

// Requests are tagged kind:read or kind:write, so that thresholds can hold each to its own latency.
export function get(path, name, extra) {
  const p = params(name, extra);
  p.tags.kind = 'read';
  return record(http.get(BASE_URL + path, p));
}

export function postJson(path, body, name, extra) {
  const p = params(name, extra);
  p.headers['Content-Type'] = 'application/json';
  p.tags.kind = 'write';
  return record(http.post(BASE_URL + path, JSON.stringify(body), p));
}

function record(res) {
  servedBy.add(1, { server: res.headers['X-Served-By'] || 'none' });
  return res;
}

export function okJson(res, what) {
  return check(res, {
    [`${what}: status 200`]: (r) => r.status === 200,
    [`${what}: JSON`]: (r) => (r.headers['Content-Type'] || '').indexOf('application/json') === 0,
    [`${what}: X-Served-By`]: (r) => SERVERS.indexOf(r.headers['X-Served-By']) >= 0,
  });
}

// Thresholds on the per-server submetrics: they make the end-of-test summary carry each server's count, and fail
// the run when a server never answered.
export function everyServerAnswers() {
  const t = {};
  for (const s of SERVERS) {
    t[`served_by{server:${s}}`] = ['count>0'];
  }
  return t;
}

// A short end-of-test report: totals, latency, failures, thresholds, and the share of each web server.
export function report(data, title) {
  const m = data.metrics;
  const lines = [];
  const v = (name, key) => (m[name] && m[name].values[key] !== undefined ? m[name].values[key] : NaN);
  lines.push('');
  lines.push(`== ${title}: ${BASE_URL}${HOST_HEADER ? ` (Host: ${HOST_HEADER})` : ''}`);
  lines.push(`requests      ${v('http_reqs', 'count')} (${v('http_reqs', 'rate').toFixed(1)}/s)`);
  lines.push(`failed        ${(100 * v('http_req_failed', 'rate')).toFixed(3)} %`);
  lines.push(`latency (ms)  p50 ${fmt(v('http_req_duration', 'med'))}  p95 ${fmt(v('http_req_duration', 'p(95)'))}` +
      `  p99 ${fmt(v('http_req_duration', 'p(99)'))}  max ${fmt(v('http_req_duration', 'max'))}`);
  lines.push(`checks        ${(100 * v('checks', 'rate')).toFixed(3)} % passed`);
  lines.push('');
  lines.push('served by     requests   share');
  const total = v('served_by', 'count') || 0;
  const names = SERVERS.slice();
  for (const key of Object.keys(m)) {
    const match = /^served_by\{server:(.+)\}$/.exec(key);
    if (match && names.indexOf(match[1]) < 0) {
      names.push(match[1]);
    }
  }
  for (const s of names) {
    const key = `served_by{server:${s}}`;
    const n = m[key] ? m[key].values.count : 0;
    lines.push(`${pad(s, 13)} ${pad(String(n), 10)} ${total ? ((100 * n) / total).toFixed(1) : '0.0'} %`);
  }
  const seen = {};
  for (const s of names) {
    seen[s] = true;
  }
  const other = total - names.reduce((acc, s) => acc + (m[`served_by{server:${s}}`] ? m[`served_by{server:${s}}`].values.count : 0), 0);
  if (other > 0) {
    lines.push(`${pad('(other)', 13)} ${pad(String(other), 10)} ${((100 * other) / total).toFixed(1)} %`);
  }
  lines.push('');
  lines.push('thresholds');
  for (const key of Object.keys(m)) {
    const th = m[key].thresholds;
    if (!th) {
      continue;
    }
    for (const expr of Object.keys(th)) {
      lines.push(`  ${th[expr].ok ? 'ok  ' : 'FAIL'} ${key}: ${expr}`);
    }
  }
  lines.push('');
  return { stdout: lines.join('\n') + '\n' };
}

function fmt(x) {
  return isNaN(x) ? '-' : x.toFixed(1);
}

function pad(s, n) {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
