// Draw labelled points in 2-D (draw.py): a brush adds points around the pointer in the chosen class; the keyboard
// moves a cursor (arrows), adds points (Space or Enter), removes those near the cursor (Delete) and chooses the
// class (1 to 4). A text line says the counts per class and the extents, as Data.text() does in the kernel.
const SVG = "http://www.w3.org/2000/svg";
const SIZE = 300, STEP = 0.05;

function make(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

function marker(kind, x, y, r, parent) {
  if (kind === "circle") return make("circle", { cx: x, cy: y, r }, parent);
  if (kind === "square") return make("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r }, parent);
  const d = kind === "triangle" ? `M${x},${y - r * 1.2} L${x + r * 1.1},${y + r * 0.8} L${x - r * 1.1},${y + r * 0.8} Z`
    : `M${x},${y - r * 1.3} L${x + r * 1.3},${y} L${x},${y + r * 1.3} L${x - r * 1.3},${y} Z`;
  return make("path", { d }, parent);
}

const px = (v) => ((v + 1) / 2) * SIZE;
const fromPx = (p) => (p / SIZE) * 2 - 1;
const two = (v) => v.toFixed(2).replace("-", "\u2212");

function summary(points, classes, markers) {
  if (!points.length) return "no points yet";
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const range = (name, vs) => `${name} from ${two(Math.min(...vs))} to ${two(Math.max(...vs))}`;
  const parts = [`${points.length} samples`];
  if (classes === 1) return [...parts, range("y", ys), range("x", xs)].join("; ");
  for (let c = 0; c < classes; c++) {
    parts.push(`class ${c + 1} (${markers[c]}s): ${points.filter((p) => p[2] === c).length}`);
  }
  return [...parts, range("x1", xs), range("x2", ys)].join("; ");
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "bp-draw";
  const bar = document.createElement("div");
  bar.className = "bp-draw-bar";
  const classLabel = document.createElement("label");
  classLabel.textContent = "classes ";
  const count = document.createElement("select");
  count.className = "bp-draw-classes";
  for (let c = 1; c <= 4; c++) {
    const o = document.createElement("option");
    o.value = c;
    o.textContent = c === 1 ? "1 (regression: y is the target)" : String(c);
    count.appendChild(o);
  }
  classLabel.appendChild(count);
  const group = document.createElement("div");
  group.className = "bp-draw-brushes";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "class to draw");
  const sizeLabel = document.createElement("label");
  sizeLabel.textContent = "brush size ";
  const size = document.createElement("input");
  size.type = "range";
  size.min = 0.02;
  size.max = 0.3;
  size.step = 0.01;
  sizeLabel.appendChild(size);
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "bp-draw-button";
  clear.textContent = "Clear";
  bar.append(classLabel, group, sizeLabel, clear);

  const plane = document.createElement("div");
  plane.className = "bp-draw-plane";
  plane.tabIndex = 0;
  plane.setAttribute("role", "application");
  plane.setAttribute("aria-label", "drawing plane: arrow keys move the cursor, Space adds points, " +
    "Delete removes the points near the cursor, 1 to 4 choose the class");
  const svg = make("svg", { viewBox: `0 0 ${SIZE} ${SIZE}`, width: SIZE, height: SIZE, "aria-hidden": "true" });
  make("rect", { x: 0, y: 0, width: SIZE, height: SIZE, class: "bp-draw-back" }, svg);
  make("path", { d: `M${SIZE / 2},0 V${SIZE} M0,${SIZE / 2} H${SIZE}`, class: "bp-draw-axis" }, svg);
  const dots = make("g", {}, svg);
  const cursor = make("circle", { class: "bp-draw-cursor" }, svg);
  plane.appendChild(svg);
  const text = document.createElement("p");
  text.className = "bp-draw-text";
  text.setAttribute("role", "status");
  text.setAttribute("aria-live", "polite");
  box.append(bar, plane, text);
  el.appendChild(box);

  let at = [0, 0], down = false, last = null;
  const markers = () => model.get("markers");

  function brushes() {
    group.replaceChildren();
    const n = model.get("classes");
    if (n === 1) return;
    for (let c = 0; c < n; c++) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "bp-draw-button";
      b.textContent = `class ${c + 1} (${markers()[c]})`;
      b.setAttribute("aria-pressed", String(model.get("current") === c));
      b.addEventListener("click", () => { model.set("current", c); model.save_changes(); });
      group.appendChild(b);
    }
  }

  function draw() {
    dots.replaceChildren();
    const n = model.get("classes");
    for (const [x, y, c] of model.get("points")) {
      const m = marker(n === 1 ? "circle" : markers()[c], px(x), px(-y), 3.5, dots);
      m.setAttribute("class", `bp-draw-point bp-class-${n === 1 ? 0 : c}`);
    }
    cursor.setAttribute("cx", px(at[0]));
    cursor.setAttribute("cy", px(-at[1]));
    cursor.setAttribute("r", (model.get("brush") * SIZE) / 2);
    text.textContent = summary(model.get("points"), n, markers());
    count.value = n;
    size.value = model.get("brush");
  }

  function add(x, y, howMany) {
    const points = model.get("points").slice(), r = model.get("brush");
    const c = model.get("classes") === 1 ? 0 : model.get("current");
    for (let i = 0; i < howMany && points.length < model.get("limit"); i++) {
      const a = Math.random() * 2 * Math.PI, d = r * Math.sqrt(Math.random());
      const p = [x + d * Math.cos(a), y + d * Math.sin(a)].map((v) => Math.max(-1, Math.min(1, v)));
      points.push([Number(p[0].toFixed(3)), Number(p[1].toFixed(3)), c]);
    }
    model.set("points", points);
    model.save_changes();
  }

  function removeNear(x, y) {
    const r = model.get("brush");
    model.set("points", model.get("points").filter((p) => Math.hypot(p[0] - x, p[1] - y) > r));
    model.save_changes();
  }

  function where(event) {
    const box = svg.getBoundingClientRect();
    return [fromPx(((event.clientX - box.left) / box.width) * SIZE), -fromPx(((event.clientY - box.top) / box.height) * SIZE)];
  }

  plane.addEventListener("pointerdown", (e) => {
    down = true;
    at = where(e);
    last = at;
    add(at[0], at[1], 3);
    plane.focus();
  });
  plane.addEventListener("pointermove", (e) => {
    const p = where(e);
    if (down && Math.hypot(p[0] - last[0], p[1] - last[1]) > model.get("brush") / 2) {
      add(p[0], p[1], 2);
      last = p;
    }
  });
  for (const end of ["pointerup", "pointerleave"]) plane.addEventListener(end, () => { down = false; });
  plane.addEventListener("keydown", (e) => {
    const moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
    if (moves[e.key]) {
      at = at.map((v, i) => Math.max(-1, Math.min(1, v + moves[e.key][i])));
      draw();
    } else if (e.key === " " || e.key === "Enter") add(at[0], at[1], 5);
    else if (e.key === "Delete" || e.key === "Backspace") removeNear(at[0], at[1]);
    else if (/^[1-4]$/.test(e.key) && Number(e.key) <= model.get("classes")) {
      model.set("current", Number(e.key) - 1);
      model.save_changes();
    } else return;
    e.preventDefault();
  });
  count.addEventListener("change", () => {
    model.set("classes", Number(count.value));
    model.set("current", Math.min(model.get("current"), Number(count.value) - 1));
    model.save_changes();
  });
  size.addEventListener("input", () => { model.set("brush", Number(size.value)); model.save_changes(); });
  clear.addEventListener("click", () => { model.set("points", []); model.save_changes(); });

  for (const name of ["points", "brush"]) model.on(`change:${name}`, draw);
  for (const name of ["classes", "current"]) model.on(`change:${name}`, () => { brushes(); draw(); });
  brushes();
  draw();
}

export default { render };
