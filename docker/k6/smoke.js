// Smoke test: a few virtual users, a few seconds. Every response is 200 and both web servers answer.
//   docker compose --profile load run --rm k6 run /scripts/smoke.js
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e HOST_HEADER=www.foobar.com docker/k6/smoke.js   (no-Docker stack)
import { check, sleep } from 'k6';
import { get, okJson, everyServerAnswers, report, SERVERS } from './lib.js';

export const options = {
  vus: Number(__ENV.VUS || 3),
  iterations: Number(__ENV.ITERATIONS || 30),
  maxDuration: __ENV.MAX_DURATION || '1m',
  thresholds: Object.assign({
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  }, everyServerAnswers()),
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max'],
};

export default function () {
  const home = get('/', 'GET /');
  check(home, {
    'home: status 200': (r) => r.status === 200,
    'home: HTML': (r) => (r.headers['Content-Type'] || '').indexOf('text/html') === 0,
    'home: X-Served-By is a known web server': (r) => SERVERS.indexOf(r.headers['X-Served-By']) >= 0,
  });
  okJson(get('/api/products', 'GET /api/products'), 'products');
  sleep(0.1);
}

export function handleSummary(data) {
  return report(data, 'smoke');
}
