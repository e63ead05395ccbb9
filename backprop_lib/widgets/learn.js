// A network learning data, played in the page (learn.py sends the film): each unit's output over the input
// plane as a heatmap beside its node, the decision boundary (or the regression curve) with the samples, and
// the train and test loss curves. The heatmaps arrive as bytes (one intensity per unit, cell and frame) and
// are painted on small canvases that the SVG holds (foreignObject). Numbers arrive formatted by the kernel.
const SVG = "http://www.w3.org/2000/svg";
const NODE = 46, GAP = 10, COLUMN = 104, TOP = 24, PLANE = 240, FPS = 30;
const CLASS_RGB = [[36, 113, 163], [203, 67, 53], [30, 132, 73], [125, 60, 152]];

function make(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

function button(text, title, parent) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "bp-learn-button";
  b.textContent = text;
  b.title = title;
  parent.appendChild(b);
  return b;
}

// Low outputs orange, the middle of the range white, high outputs blue; the text says the range in numbers.
const RAMP = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  const low = [211, 84, 0], high = [31, 97, 141];
  for (let v = 0; v < 256; v++) {
    const t = v / 255, end = t < 0.5 ? low : high, w = Math.abs(t - 0.5) * 2;
    for (let c = 0; c < 3; c++) lut[4 * v + c] = Math.round(255 + (end[c] - 255) * w);
    lut[4 * v + 3] = 255;
  }
  return lut;
})();

// A sample's marker: its class told by shape (circle, square, triangle, diamond), not by colour alone.
function marker(kind, x, y, r, parent) {
  if (kind === "circle") return make("circle", { cx: x, cy: y, r }, parent);
  if (kind === "square") return make("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r }, parent);
  const d = kind === "triangle" ? `M${x},${y - r * 1.2} L${x + r * 1.1},${y + r * 0.8} L${x - r * 1.1},${y + r * 0.8} Z`
    : `M${x},${y - r * 1.3} L${x + r * 1.3},${y} L${x},${y + r * 1.3} L${x - r * 1.3},${y} Z`;
  return make("path", { d }, parent);
}

// A small canvas, cols × rows pixels, shown as a size × size square of the SVG: painted in place each frame,
// with no image to encode or decode on the way.
function picture(x, y, size, cols, rows, cls, parent) {
  const holder = make("foreignObject", { x, y, width: size, height: size }, parent);
  const canvas = document.createElement("canvas");
  canvas.width = cols;
  canvas.height = rows;
  canvas.className = cls;
  canvas.setAttribute("aria-hidden", "true");
  holder.appendChild(canvas);
  return canvas;
}

function paint(canvas, bytes, offset, rows, cols, colour) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) colour(bytes[offset + i], image.data, 4 * i);
  ctx.putImageData(image, 0, 0);
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "bp-learn";
  const bar = document.createElement("div");
  bar.className = "bp-learn-bar";
  const play = button("Play", "Play the training from where it stands", bar);
  const reset = button("Reset", "Back to step 0", bar);
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = 0;
  slider.className = "bp-learn-frame";
  slider.setAttribute("aria-label", "training step shown");
  bar.appendChild(slider);
  const readout = document.createElement("span");
  readout.className = "bp-learn-readout";
  bar.appendChild(readout);
  const live = document.createElement("div");
  live.className = "bp-learn-live";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  const svg = make("svg", { class: "bp-learn-svg", role: "img" });
  const title = make("title", {}, svg), desc = make("desc", {}, svg);
  const legend = document.createElement("p");
  legend.className = "bp-learn-legend";
  box.append(bar, live, svg, legend);
  el.appendChild(box);

  let k = 0, start = null, raf = null, drawn = 0, startFrame = 0, parts = null;
  const film = () => model.get("film");
  const frames = () => (film().frames || []);

  function layout() {
    svg.replaceChildren(title, desc);
    const f = film();
    if (!f.frames) return;
    const rows = f.dims === 2 ? f.cells : 1, cells = rows * f.cells;
    const columns = [f.inputs, ...f.layers];
    const tallest = Math.max(...columns.map((c) => c.length));
    const height = Math.max(TOP + tallest * (NODE + GAP), TOP + PLANE + 150);
    const planeX = COLUMN * columns.length + 20;
    const width = planeX + PLANE + 20;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", width);
    const place = {};
    columns.forEach((column, c) => column.forEach((name, j) => {
      const y = TOP + j * (NODE + GAP) + ((tallest - column.length) * (NODE + GAP)) / 2;
      place[name] = { x: 20 + c * COLUMN, y };
    }));
    const edgeGroup = make("g", { class: "bp-learn-edges" }, svg);
    const edges = f.edges.map(([s, t]) => make("line", {
      x1: place[s].x + NODE, y1: place[s].y + NODE / 2, x2: place[t].x, y2: place[t].y + NODE / 2 }, edgeGroup));
    f.inputs.forEach((name) => {
      const p = place[name];
      make("rect", { x: p.x, y: p.y, width: NODE, height: NODE, rx: 23, class: "bp-learn-input" }, svg);
      make("text", { x: p.x + NODE / 2, y: p.y + NODE / 2, class: "bp-learn-name" }, svg).textContent = name;
    });
    const images = f.units.map((unit) => {
      const p = place[unit.name];
      const canvas = picture(p.x, p.y, NODE, f.cells, rows, "bp-learn-heat", svg);
      canvas.dataset.unit = unit.name;
      make("rect", { x: p.x, y: p.y, width: NODE, height: NODE, class: "bp-learn-frame-box" }, svg);
      make("text", { x: p.x + NODE / 2, y: p.y - 5, class: "bp-learn-name" }, svg).textContent = unit.name;
      return canvas;
    });
    make("text", { x: planeX, y: TOP - 10, class: "bp-learn-name bp-start" }, svg).textContent =
      f.classes ? "what the network decides" : "what the network predicts";
    const curveMode = !f.classes && f.dims === 1;
    const planeCanvas = curveMode ? null : picture(planeX, TOP, PLANE, f.cells, f.cells, "bp-learn-boundary", svg);
    make("rect", { x: planeX, y: TOP, width: PLANE, height: PLANE, class: "bp-learn-frame-box" }, svg);
    const [ex, ey] = [f.extents[0], f.extents[1] || f.target_range];
    const pad = curveMode ? 0.2 * (ey[1] - ey[0] || 1) : 0, ylo = ey[0] - pad, yhi = ey[1] + pad;
    const sx = (v) => planeX + (PLANE * (v - ex[0])) / (ex[1] - ex[0]);
    const sy = (v) => TOP + (PLANE * (yhi - v)) / (yhi - ylo);
    const curve = curveMode ? make("path", { class: "bp-learn-curve" }, svg) : null;
    const pointGroup = make("g", { class: "bp-learn-points" }, svg);
    for (const p of f.points) {
      const [x, y, label, held] = f.dims === 2 ? p : [p[0], p[1], 0, p[2]];
      const kind = f.classes ? f.markers[label % f.markers.length] : "circle";
      const m = marker(kind, sx(x), sy(y), 3.2, pointGroup);
      m.setAttribute("class", `bp-learn-point bp-class-${f.classes ? label : 0}${held ? " bp-held" : ""}`);
    }
    const axisText = (x, y, text, cls) => { make("text", { x, y, class: cls }, svg).textContent = text; };
    axisText(planeX + PLANE / 2, TOP + PLANE + 14, f.inputs[0], "bp-learn-tick");
    axisText(planeX - 6, TOP + PLANE / 2, f.dims === 2 ? f.inputs[1] : "out", "bp-learn-tick bp-end");
    const cy = TOP + PLANE + 30, ch = 100;
    const lossSvg = make("g", { class: "bp-learn-losses" }, svg);
    make("path", { d: `M${planeX},${cy} V${cy + ch} H${planeX + PLANE}`, class: "bp-learn-axis" }, lossSvg);
    const values = f.frames.flatMap((fr) => [fr.train, fr.test]).filter((v) => v !== null && isFinite(v));
    const top = Math.max(1e-12, ...values);
    const lx = (n) => planeX + (PLANE * n) / Math.max(1, f.frames.length - 1);
    const ly = (v) => cy + ch - (ch * Math.min(v, top)) / top;
    const trainPath = make("path", { class: "bp-learn-train" }, lossSvg);
    const testPath = make("path", { class: "bp-learn-test" }, lossSvg);
    axisText(planeX + PLANE / 2, cy + ch + 14, `${f.loss_name}: train solid, test dashed, against step`, "bp-learn-tick");
    parts = { rows, cells, edges, images, planeCanvas, curve, sx, sy, trainPath, testPath, lx, ly };
    title.textContent = `A ${columns.map((c) => c.length).join("-")} network learning ${f.points.length} samples`;
    legend.textContent = "Each unit's square is its output over the input plane (" + f.inputs.join(" across, ") +
      (f.dims === 2 ? " up" : "") + "): orange low, white the middle, blue high; ranges: " +
      f.units.map((u) => `${u.name} ${u.lo} to ${u.hi}`).join(", ") + ". Edges: width the weight's size, dashed " +
      "when negative. Samples: filled for training, hollow for test" +
      (f.classes ? `, class 1 to ${f.classes} as ${f.markers.slice(0, f.classes).join(", ")}.` : ".");
    slider.max = f.frames.length - 1;
  }

  function heat(v, data, i) { data.set(RAMP.subarray(4 * v, 4 * v + 4), i); }

  function decided(v, data, i) {
    const rgb = CLASS_RGB[v >> 6], w = 0.15 + 0.45 * (v & 63) / 63;
    for (let c = 0; c < 3; c++) data[i + c] = Math.round(255 + (rgb[c] - 255) * w);
    data[i + 3] = 255;
  }

  function lossPath(key, upto) {
    const fs = frames();
    let d = "", pen = false;
    for (let n = 0; n <= upto; n++) {
      const v = fs[n][key];
      if (v === null) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${parts.lx(n).toFixed(1)},${parts.ly(v).toFixed(1)}`;
      pen = true;
    }
    return d;
  }

  function show(n) {
    const fs = frames();
    if (!fs.length || !parts) return;
    k = Math.max(0, Math.min(n, fs.length - 1));
    const f = film(), frame = fs[k];
    const grids = model.get("grids"), all = new Uint8Array(grids.buffer, grids.byteOffset, grids.byteLength);
    const per = parts.cells, units = f.units.length;
    parts.images.forEach((canvas, u) => paint(canvas, all, (k * units + u) * per, parts.rows, f.cells, heat));
    if (f.classes) {
      paint(parts.planeCanvas, all, fs.length * units * per + k * per, f.cells, f.cells, decided);
    } else if (f.dims === 2) {
      paint(parts.planeCanvas, all, (k * units + f.surface) * per, f.cells, f.cells, heat);
    } else {
      const xs = f.curve[k];
      let d = "";
      xs.forEach((v, c) => {
        if (v === null) return;
        const x = f.extents[0][0] + ((f.extents[0][1] - f.extents[0][0]) * (c + 0.5)) / f.cells;
        d += `${d ? "L" : "M"}${parts.sx(x).toFixed(1)},${parts.sy(v).toFixed(1)}`;
      });
      parts.curve.setAttribute("d", d);
    }
    frame.weights.forEach((w, e) => {
      const line = parts.edges[e];
      line.setAttribute("stroke-width", w === null ? 1 : Math.min(4, 0.4 + Math.abs(w)).toFixed(2));
      line.classList.toggle("bp-negative", w !== null && w < 0);
    });
    parts.trainPath.setAttribute("d", lossPath("train", k));
    parts.testPath.setAttribute("d", lossPath("test", k));
    readout.textContent = frame.text;
    svg.dataset.frame = String(k);
    desc.textContent = `${frame.text}. ${legend.textContent}`;
    slider.value = k;
    slider.setAttribute("aria-valuetext", `step ${frame.step}`);
  }

  function stop() {
    if (raf !== null) cancelAnimationFrame(raf);
    raf = null;
    start = null;
    play.textContent = "Play";
    box.dataset.playing = "false";
    live.textContent = frames().length ? frames()[k].text : "";
    model.set("frame", k);
    model.set("playing", false);
    model.save_changes();
  }

  // Time sets the frame (FPS a second); a frame that could not be drawn in time is skipped, not waited for.
  function tick(now) {
    if (start === null) { start = now; drawn = 0; }
    const n = startFrame + Math.floor(((now - start) * FPS) / 1000);
    if (n !== k || drawn === 0) {
      show(n);
      drawn += 1;
      box.dataset.drawn = String(drawn);
      box.dataset.elapsed = String(now - start);
    }
    if (n >= frames().length - 1) { stop(); return; }
    raf = requestAnimationFrame(tick);
  }

  function begin() {
    if (!frames().length) return;
    startFrame = k >= frames().length - 1 ? 0 : k;
    play.textContent = "Pause";
    box.dataset.playing = "true";
    raf = requestAnimationFrame(tick);
  }

  play.addEventListener("click", () => (raf === null ? begin() : stop()));
  reset.addEventListener("click", () => { if (raf !== null) stop(); show(0); model.set("frame", 0); model.save_changes(); });
  slider.addEventListener("input", () => { if (raf !== null) stop(); show(Number(slider.value)); });
  slider.addEventListener("change", () => { model.set("frame", k); model.save_changes(); });

  function load() {
    if (raf !== null) cancelAnimationFrame(raf);
    raf = null;
    layout();
    show(model.get("frame"));
    live.textContent = frames().length ? frames()[k].text : "";
    if (model.get("playing")) begin();
  }
  model.on("change:film", load);
  model.on("change:frame", () => { if (raf === null && model.get("frame") !== k) show(model.get("frame")); });
  model.on("change:playing", () => { if (model.get("playing") && raf === null) begin(); });
  load();
  return () => { if (raf !== null) cancelAnimationFrame(raf); };
}

export default { render };
