// Load test: ramping virtual users over a read/write mix, as shoppers would.
//   70 % browse (home page, product list and search, product page and JSON),
//   20 % place an order and at once list "my orders" (through the balancer, so often on the other web server: the
//        consistency-token cookie must make the new order visible there), 10 % the "my orders" HTML page.
// Each virtual user has its own cookie jar, so it is one visitor (foobar_visitor) throughout.
//
//   docker compose --profile load run --rm k6 run /scripts/load.js
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e HOST_HEADER=www.foobar.com docker/k6/load.js   (no-Docker stack)
//
// Knobs: VUS (peak, 20), RAMP (30s), HOLD (1m), P95_MS (p95 latency threshold, 300), EXPECTED_SERVERS.
import { check, sleep, fail } from 'k6';
import { Counter, Rate } from 'k6/metrics';
import { get, postJson, okJson, everyServerAnswers, report } from './lib.js';

const VUS = Number(__ENV.VUS || 20);
const RAMP = __ENV.RAMP || '30s';
const HOLD = __ENV.HOLD || '1m';
const P95_MS = Number(__ENV.P95_MS || 300);

// Read-your-writes seen from outside: the order just placed is in the list read right after.
const ownOrderVisible = new Rate('own_order_visible');
const ordersPlaced = new Counter('orders_placed');

export const options = {
  scenarios: {
    shoppers: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP, target: VUS },
        { duration: HOLD, target: VUS },
        { duration: '10s', target: 0 },
      ],
      gracefulRampDown: '10s',
    },
  },
  thresholds: Object.assign({
    http_req_failed: ['rate<0.001'],
    http_req_duration: [`p(95)<${P95_MS}`],
    'http_req_duration{kind:read}': [`p(95)<${P95_MS}`],
    'http_req_duration{kind:write}': [`p(95)<${2 * P95_MS}`],
    checks: ['rate>0.999'],
    own_order_visible: ['rate==1'],
  }, everyServerAnswers()),
  summaryTrendStats: ['med', 'p(95)', 'p(99)', 'max'],
};

// A product with plenty of stock, so that orders do not run it out during the test (a sold-out product answers 409,
// which is correct but not what this test measures).
export function setup() {
  const created = postJson('/api/products',
      { name: 'k6 load-test item', description: 'created by docker/k6/load.js', price_cents: 999, stock: 1000000 },
      'POST /api/products');
  if (created.status !== 201) {
    fail(`setup: POST /api/products answered ${created.status}: ${created.body}`);
  }
  const list = get('/api/products?size=100', 'GET /api/products');
  if (list.status !== 200) {
    fail(`setup: GET /api/products answered ${list.status}: ${list.body}`);
  }
  const ids = list.json('items').map((p) => p.id);
  return { orderProduct: created.json('id'), productIds: ids.length ? ids : [created.json('id')] };
}

export default function (data) {
  const roll = Math.random();
  if (roll < 0.7) {
    browse(data);
  } else if (roll < 0.9) {
    order(data);
  } else {
    const page = get('/orders', 'GET /orders');
    check(page, { 'orders page: status 200': (r) => r.status === 200 });
  }
  sleep(0.2 + Math.random() * 0.3);
}

function browse(data) {
  const id = data.productIds[Math.floor(Math.random() * data.productIds.length)];
  const step = Math.floor(Math.random() * 4);
  if (step === 0) {
    const home = get('/', 'GET /');
    check(home, { 'home: status 200': (r) => r.status === 200 });
  } else if (step === 1) {
    okJson(get('/api/products?page=1&size=20', 'GET /api/products'), 'product list');
  } else if (step === 2) {
    okJson(get(`/api/products/${id}`, 'GET /api/products/{id}'), 'product');
  } else {
    const page = get(`/products/${id}`, 'GET /products/{id}');
    check(page, { 'product page: status 200': (r) => r.status === 200 });
  }
}

function order(data) {
  const placed = postJson('/api/orders', { product_id: data.orderProduct, quantity: 1 }, 'POST /api/orders');
  const ok = check(placed, {
    'order: status 201': (r) => r.status === 201,
    'order: Location': (r) => /^\/api\/orders\/\d+$/.test(r.headers['Location'] || ''),
  });
  if (!ok) {
    return;
  }
  ordersPlaced.add(1);
  const id = placed.json('id');
  const mine = get('/api/orders', 'GET /api/orders');
  okJson(mine, 'my orders');
  const orders = mine.status === 200 ? mine.json('orders') || [] : [];
  ownOrderVisible.add(orders.some((o) => o.id === id));
}

export function handleSummary(data) {
  return report(data, 'load');
}
