// The overview page: polls /api/overview and draws the tiers, the links between them, three charts and the events.
// Boxes are kept and updated in place (keyed by tier and name), so the page does not flicker and a test can find
// each component by its data attributes: data-tier, data-name, data-state.
"use strict";

const charts = {};
let interval = 500;

function box(tier, name) {
  const column = document.getElementById("tier-" + tier);
  let el = column.querySelector(`.box[data-name="${CSS.escape(name)}"]`);
  if (!el) {
    el = document.createElement("div");
    el.className = "box";
    el.dataset.tier = tier;
    el.dataset.name = name;
    el.innerHTML = '<span class="state"></span><div class="name"></div><div class="figures"></div><div class="reason"></div>';
    el.querySelector(".name").textContent = name;
    column.appendChild(el);
  }
  return el;
}

function fill(el, state, figures, reason) {
  el.dataset.state = state;
  el.querySelector(".state").textContent = state;
  el.querySelector(".figures").textContent = figures;
  el.querySelector(".reason").textContent = reason || "";
}

/** Removes the boxes of a tier that the document no longer lists. */
function prune(tier, names) {
  document.querySelectorAll(`#tier-${tier} .box[data-name]`).forEach(el => {
    if (!names.has(el.dataset.name) && !el.classList.contains("failover")) el.remove();
  });
}

const num = v => v === null || v === undefined ? "–" : (Math.round(v * 10) / 10).toString();

function render(doc) {
  interval = doc.interval_ms || interval;
  document.getElementById("totals").textContent =
    `${num(doc.req_s)} req/s · ${num(doc.errors_s)} errors/s · p99 ${num(doc.p99_ms)} ms`;
  document.getElementById("updated").textContent = "as of " + new Date(doc.at).toLocaleTimeString();

  for (const b of doc.balancers) {
    fill(box("balancers", b.name), b.state, `${num(b.req_s)} req/s · ${num(b.errors_s)} 5xx/s`, b.reason);
  }
  prune("balancers", new Set(doc.balancers.map(b => b.name)));
  for (const w of doc.webs) {
    fill(box("webs", w.name), w.state,
      `${num(w.req_s)} req/s (${Math.round((w.share || 0) * 100)}%) · ${num(w.errors_s)} 5xx/s`, w.reason);
  }
  prune("webs", new Set(doc.webs.map(w => w.name)));
  for (const d of doc.databases) {
    const repl = d.replicating === null ? "" : d.replicating ? " · replicating" : " · not replicating";
    const lag = d.lag_seconds === null ? "" : ` · lag ${num(d.lag_seconds)} s`;
    fill(box("databases", d.name), d.state, `${num(d.reads_s)} reads/s · ${num(d.writes_s)} writes/s${repl}${lag}`,
      d.reason);
  }
  prune("databases", new Set(doc.databases.map(d => d.name)));
  if (doc.failover) {
    const el = box("databases", doc.failover.name);
    el.classList.add("failover");
    const down = doc.failover.state === "down";
    fill(el, down ? "down" : "up", down ? "" : doc.failover.detail, down ? doc.failover.detail : "");
    el.querySelector(".state").textContent = down ? "down" : doc.failover.state;
  }
  links(doc);
  plot(doc.series);
  events(doc.events);
}

function links(doc) {
  const svg = document.getElementById("links");
  const frame = document.getElementById("diagram").getBoundingClientRect();
  const at = (tier, name) => document.querySelector(`#tier-${tier} .box[data-name="${CSS.escape(name)}"]`);
  const lines = [];
  const link = (a, b, cls) => {
    if (!a || !b) return;
    const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    const dead = a.dataset.state === "down" || b.dataset.state === "down";
    const sameColumn = Math.abs(ra.left - rb.left) < 5;
    const [x1, y1, x2, y2] = sameColumn
      ? [ra.left + 12, ra.bottom, rb.left + 12, rb.top]
      : [ra.right, ra.top + ra.height / 2, rb.left, rb.top + rb.height / 2];
    lines.push(`<line class="${cls}${dead ? " dead" : ""}" x1="${x1 - frame.left}" y1="${y1 - frame.top}"` +
      ` x2="${x2 - frame.left}" y2="${y2 - frame.top}"/>`);
  };
  const client = document.querySelector('#tier-clients .box');
  doc.balancers.forEach(b => link(client, at("balancers", b.name), "request"));
  doc.balancers.forEach(b => doc.webs.forEach(w => link(at("balancers", b.name), at("webs", w.name), "request")));
  const primary = doc.databases.find(d => d.state === "primary");
  doc.webs.forEach(w => doc.databases.forEach(d => {
    if (d === primary) link(at("webs", w.name), at("databases", d.name), "write");
    else if (d.state !== "down") link(at("webs", w.name), at("databases", d.name), "read");
  }));
  doc.databases.filter(d => d.source_node).forEach(d =>
    link(at("databases", d.source_node), at("databases", d.name), "replication"));
  svg.innerHTML = lines.join("");
}

const clock = t => new Date(t * 1000).toLocaleTimeString([], { hour12: false });

function chart(id, title, series, data) {
  const el = document.getElementById(id);
  if (!charts[id]) {
    charts[id] = new uPlot({
      title, width: Math.max(el.clientWidth - 10, 200), height: 160,
      scales: { x: { time: true } },
      series: [{ value: (u, v) => v === null ? "–" : clock(v) }]
        .concat(series.map(s => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false }))),
      axes: [{ values: (u, ticks) => ticks.map(clock) }, { size: 50 }],
    }, data, el);
  } else {
    charts[id].setData(data);
  }
}

function plot(s) {
  chart("chart-rate", "requests per second", [{ label: "req/s", color: "#2e9d4f" }, { label: "5xx/s", color: "#d23b3b" }],
    [s.t, s.req_s, s.errors_s]);
  chart("chart-p99", "p99 latency (ms, last 5 s)", [{ label: "p99 ms", color: "#6b7fd7" }], [s.t, s.p99_ms]);
  chart("chart-lag", "replica lag (s, the most behind)", [{ label: "lag s", color: "#d98e04" }], [s.t, s.lag_s]);
}

function events(list) {
  const ol = document.getElementById("events");
  ol.replaceChildren(...list.map(e => {
    const li = document.createElement("li");
    const time = document.createElement("time");
    time.dateTime = e.at;
    time.textContent = new Date(e.at).toLocaleTimeString();
    const source = document.createElement("span");
    source.className = "source";
    source.textContent = e.source;
    const subject = document.createElement("span");
    subject.className = "subject";
    subject.textContent = e.subject;
    li.append(time, source, subject, document.createTextNode(e.message));
    return li;
  }));
}

async function poll() {
  try {
    const res = await fetch("api/overview", { cache: "no-store" });
    if (res.ok) {
      render(await res.json());
    } else {
      document.getElementById("updated").textContent = "overview answered " + res.status;
    }
  } catch (e) {
    document.getElementById("updated").textContent = "overview unreachable: " + e.message;
  }
  setTimeout(poll, interval);
}

window.addEventListener("resize", () => Object.values(charts).forEach(c =>
  c.setSize({ width: Math.max(c.root.parentElement.clientWidth - 10, 200), height: 160 })));
poll();
