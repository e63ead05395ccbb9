// The network diagram as SVG, drawn from the numbers in the model (see diagram.py): no computation here
// beyond placing things and scaling edge widths.
const SVG = "http://www.w3.org/2000/svg";
const POSITIVE = "#c0392b", NEGATIVE = "#2471a3", NEUTRAL = "#7f8c8d";
const QUIET_MS = 600; // the E_total announcement waits until the values have stopped changing this long
let count = 0;

function make(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

function lines(parent, x, y, texts, size, cls) {
  const text = make("text", { x, y: y - ((texts.length - 1) * size * 1.15) / 2, class: cls }, parent);
  texts.forEach((t, k) => {
    const span = make("tspan", { x, dy: k === 0 ? 0 : size * 1.15 }, text);
    span.textContent = t;
  });
  return text;
}

function rim(a, b, ra, rb) {
  // the straight segment between two circles' rims
  const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
  return [a.x + (dx * ra) / d, a.y + (dy * ra) / d, b.x - (dx * rb) / d, b.y - (dy * rb) / d];
}

function draw(model, svg, title, desc) {
  const layout = model.get("layout_data"), values = model.get("values");
  if (!layout.nodes || !values.labels) return;
  const highlight = new Set(model.get("highlight"));
  const byGradient = model.get("edges_by") === "gradient" && Object.keys(values.shares).length > 0;
  svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  svg.setAttribute("width", layout.width);
  title.textContent = `Diagram of the network ${layout.name}`;
  desc.textContent = model.get("description");
  for (const old of svg.querySelectorAll("g.bp-layer")) old.remove();
  const edgesG = make("g", { class: "bp-layer" }, svg), nodesG = make("g", { class: "bp-layer" }, svg);
  const labelsG = make("g", { class: "bp-layer" }, svg);
  const nodes = Object.fromEntries(layout.nodes.map((n) => [n.id, n]));
  const lit = (ids) => ids.some((id) => id !== null && highlight.has(id));
  const dim = highlight.size > 0;

  const size = (e) => {
    if (e.param === null) return null;
    return byGradient ? values.shares[e.id] : values.params[e.param];
  };
  const largest = Math.max(1e-12, ...layout.edges.map((e) => Math.abs(size(e) ?? 0)));
  layout.edges.forEach((e, n) => {
    const a = nodes[e.source], b = nodes[e.target], v = size(e) ?? null; // null: no number (or not finite)
    const on = lit([e.id, e.param]);
    const [x1, y1, x2, y2] = rim(a, b, a.r, b.r);
    const skips = e.bends;
    const d = skips
      ? `M${x1},${y1} Q${(x1 + x2) / 2},${Math.min(y1, y2) - 0.25 * Math.abs(x2 - x1)} ${x2},${y2}`
      : `M${x1},${y1} L${x2},${y2}`;
    const cls = ["bp-edge", on ? "bp-on" : dim ? "bp-dim" : "", v !== null && v < 0 ? "bp-negative" : ""];
    if (on) make("path", { d, class: "bp-glow" }, edgesG);
    const path = make("path", { d, class: cls.join(" ") }, edgesG);
    path.dataset.id = e.id;
    path.style.stroke = v === null || v === 0 ? NEUTRAL : v > 0 ? POSITIVE : NEGATIVE;
    path.style.strokeWidth = v === null ? 1.2 : (0.6 + 4.0 * Math.min(Math.abs(v) / largest, 1)).toFixed(2);
    const label = values.labels[e.id];
    if (!label) return;
    // along the edge, alternating so that neighbours' labels do not collide; a bias label near its node
    const t = a.kind === "bias" ? 0.3 : n % 2 === 0 ? 0.25 : 0.72;
    let x = x1 + t * (x2 - x1), y = y1 + t * (y2 - y1);
    if (skips) y -= 0.25 * Math.abs(x2 - x1) * 0.5;
    // a white card behind the label, so that lines crossing it do not strike it through; its size from the
    // monospace font (0.6 em a character) rather than measured, which would cost a layout per label
    const w = 6 * Math.max(...label.map((l) => l.length)) + 6, h = 11.5 * label.length + 3;
    make("rect", { x: x - w / 2, y: y - h / 2, width: w, height: h, rx: 3, class: "bp-card" + (on ? "" : dim ? " bp-dim" : "") },
         labelsG);
    const text = lines(labelsG, x, y, label, 10, "bp-edge-label" + (on ? " bp-on" : dim ? " bp-dim" : ""));
    text.dataset.id = e.id;
  });

  for (const node of layout.nodes) {
    const on = lit([node.id]);
    const g = make("g", { class: `bp-node bp-${node.kind}` + (on ? " bp-on" : dim ? " bp-dim" : "") }, nodesG);
    g.dataset.id = node.id;
    make("circle", { cx: node.x, cy: node.y, r: node.r }, g);
    const label = node.kind === "bias" ? ["1"] : values.labels[node.id] || [node.id];
    lines(g, node.x, node.y, label.slice(0, node.kind === "output" ? 3 : label.length), 10, "bp-node-label");
    if (node.kind === "output" && label.length > 3) {
      lines(g, node.x, node.y + node.r + 12, [label[3]], 10, "bp-target");
    }
  }
  for (const layer of layout.layers) lines(labelsG, layer.x, layer.y, [layer.text], 10, "bp-activation");
  values.totals.forEach((total, k) => {
    const y = layout.height - 18 * (values.totals.length - k) + 6;
    make("text", { x: 8, y, class: "bp-total" }, labelsG).textContent = total;
  });
}

function render({ model, el }) {
  const id = `bp-diagram-${++count}`;
  const box = document.createElement("div");
  box.className = "bp-diagram-box";
  const svg = make("svg", { class: "bp-diagram", role: "img", "aria-labelledby": `${id}-title ${id}-desc` });
  const title = make("title", { id: `${id}-title` }, svg);
  const desc = make("desc", { id: `${id}-desc` }, svg);
  const live = document.createElement("div");
  live.className = "bp-live";
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");
  box.append(svg, live);
  el.appendChild(box);

  let timer = null, queued = false;
  const redraw = () => { // one drawing for all the traits a single message changes
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; draw(model, svg, title, desc); });
  };
  const announce = () => {
    clearTimeout(timer); // a slider being dragged keeps pushing this back: only the value it stops at is spoken
    timer = setTimeout(() => { live.textContent = model.get("announcement"); }, QUIET_MS);
  };
  draw(model, svg, title, desc); // the live region starts empty: only changes are announced
  model.on("change:values change:layout_data change:highlight change:edges_by change:description", redraw);
  model.on("change:announcement", announce);
  return () => {
    clearTimeout(timer);
    model.off("change:values change:layout_data change:highlight change:edges_by change:description", redraw);
    model.off("change:announcement", announce);
  };
}

export default { render };
