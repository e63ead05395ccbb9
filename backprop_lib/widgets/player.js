// Training played like a film: the frames the kernel sent (player.py) are shown one after another with
// requestAnimationFrame. Each frame sets the live diagram's values in this page only (no kernel round trip),
// moves the loss curve on and the outputs against their targets. Numbers arrive formatted by the kernel.
const SVG = "http://www.w3.org/2000/svg";
const W = 400, H = 190, PAD = { left: 92, right: 14, top: 14, bottom: 34 };
const ROW = 30;

function make(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

function button(text, title, parent) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "bp-player-button";
  b.textContent = text;
  b.title = title;
  parent.appendChild(b);
  return b;
}

// How long a film lasts: one frame per screen refresh, but at least 2 and at most 6 seconds.
const duration = (frames) => Math.min(6000, Math.max(2000, (frames / 60) * 1000));

function curveScale(curve) {
  const ys = curve.losses.filter((y) => y !== null && y > 0).map(Math.log10);
  let lo = Math.min(...ys), hi = Math.max(...ys);
  if (!ys.length) { lo = -1; hi = 0; }
  const flat = hi - lo < 1e-9;
  if (flat) { lo -= 0.5; hi += 0.5; }
  const total = Math.max(1, curve.steps[curve.steps.length - 1]);
  const x = (s) => PAD.left + ((W - PAD.left - PAD.right) * s) / total;
  const y = (v) => PAD.top + ((H - PAD.top - PAD.bottom) * (hi - Math.log10(Math.max(v, 1e-300)))) / (hi - lo);
  return { x, y, lo, hi, flat };
}

function render({ model, el, host }) {
  const box = document.createElement("div");
  box.className = "bp-player";
  const bar = document.createElement("div");
  bar.className = "bp-player-bar";
  const play = button("Play", "Play the training from where it stands", bar);
  const reset = button("Reset", "Back to step 0", bar);
  const readout = document.createElement("span");
  readout.className = "bp-player-readout";
  bar.appendChild(readout);
  const live = document.createElement("div");
  live.className = "bp-player-live";
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");

  const charts = document.createElement("div");
  charts.className = "bp-player-charts";
  const curveSvg = make("svg", { class: "bp-loss-curve", role: "img", viewBox: `0 0 ${W} ${H}`, width: W });
  const outSvg = make("svg", { class: "bp-outputs", role: "img" });
  charts.append(curveSvg, outSvg);
  box.append(bar, live, charts);
  el.appendChild(box);

  let diagram = null, k = 0, start = null, raf = null, scale = null, pathPoints = [];
  const film = () => model.get("film");
  const frames = () => (film().frames || []);

  function layout() {
    const f = film();
    curveSvg.replaceChildren();
    outSvg.replaceChildren();
    if (!f.frames) return;
    scale = curveScale(f.curve);
    pathPoints = f.curve.steps.map((s, n) => {
      const v = f.curve.losses[n];
      return v === null ? null : `${scale.x(s).toFixed(1)},${scale.y(v).toFixed(1)}`;
    });
    const axis = `M${PAD.left},${PAD.top} V${H - PAD.bottom} H${W - PAD.right}`;
    make("path", { d: axis, class: "bp-axis" }, curveSvg);
    const label = (x, y, text, cls) => { make("text", { x, y, class: cls }, curveSvg).textContent = text; };
    if (scale.flat) label(PAD.left - 4, (PAD.top + H - PAD.bottom) / 2, f.curve.high_text, "bp-tick bp-end");
    else {
      label(PAD.left - 4, PAD.top + 4, f.curve.high_text, "bp-tick bp-end"); // the curve's largest loss
      label(PAD.left - 4, H - PAD.bottom, f.curve.low_text, "bp-tick bp-end"); // and its smallest
    }
    label(PAD.left, H - PAD.bottom + 14, "0", "bp-tick");
    label(W - PAD.right, H - PAD.bottom + 14, String(f.total), "bp-tick bp-end");
    label((PAD.left + W - PAD.right) / 2, H - 4, "step", "bp-tick");
    const ylabel = make("text", { x: 8, y: (PAD.top + H - PAD.bottom) / 2, class: "bp-tick",
      transform: `rotate(-90 8 ${(PAD.top + H - PAD.bottom) / 2})` }, curveSvg);
    ylabel.textContent = `${f.loss_name} (log scale)`;
    make("path", { class: "bp-curve" }, curveSvg);
    make("circle", { class: "bp-now", r: 4 }, curveSvg);

    const o = f.outputs, rows = o.names.length;
    const ow = 380, oh = ROW * rows + 22;
    outSvg.setAttribute("viewBox", `0 0 ${ow} ${oh}`);
    outSvg.setAttribute("width", ow);
    const left = 110, right = ow - 12;
    const x = (v) => left + ((right - left) * (v - o.low)) / Math.max(1e-12, o.high - o.low);
    o.names.forEach((name, r) => {
      const y = 16 + ROW * r;
      make("line", { x1: left, x2: right, y1: y, y2: y, class: "bp-track" }, outSvg);
      make("text", { x: 4, y: y - 4, class: "bp-tick bp-start" }, outSvg).textContent = name;
      make("text", { x: 4, y: y + 9, class: "bp-tick bp-start bp-target-text" }, outSvg).textContent = o.target_text[r];
      make("path", { d: `M${x(o.targets[r])},${y - 8} V${y + 8}`, class: "bp-target-mark" }, outSvg);
      make("circle", { cx: x(o.targets[r]), cy: y, r: 5, class: "bp-out", "data-row": r }, outSvg);
      make("text", { x: right, y: y + 12, class: "bp-tick bp-end bp-out-text", "data-row": r }, outSvg);
    });
    outSvg.xScale = x;
  }

  function show(n) {
    const fs = frames();
    if (!fs.length) return;
    k = Math.max(0, Math.min(n, fs.length - 1));
    const frame = fs[k], f = film();
    if (diagram) diagram.set("values", frame.values); // this page only: the kernel hears the frame when play stops
    readout.textContent = frame.text;
    const steps = f.curve.steps;
    let last = 0;
    while (last < steps.length && steps[last] <= frame.step) last++;
    const points = pathPoints.slice(0, last);
    if (frame.loss !== null) points.push(`${scale.x(frame.step).toFixed(1)},${scale.y(frame.loss).toFixed(1)}`);
    let d = "", pen = false;
    for (const p of points) {
      if (p === null) { pen = false; continue; }
      d += (pen ? "L" : "M") + p;
      pen = true;
    }
    curveSvg.querySelector(".bp-curve").setAttribute("d", d);
    const dot = curveSvg.querySelector(".bp-now");
    if (frame.loss !== null) {
      dot.setAttribute("cx", scale.x(frame.step));
      dot.setAttribute("cy", scale.y(frame.loss));
    }
    dot.style.display = frame.loss === null ? "none" : "";
    curveSvg.setAttribute("aria-label", `Loss curve, ${f.loss_name} on a log scale against the step: ${frame.text}`);
    const x = outSvg.xScale;
    outSvg.querySelectorAll(".bp-out").forEach((c) => {
      const v = frame.outputs[c.dataset.row];
      if (v !== null) c.setAttribute("cx", x(Math.max(f.outputs.low, Math.min(f.outputs.high, v))));
    });
    outSvg.querySelectorAll(".bp-out-text").forEach((t) => { t.textContent = frame.output_text[t.dataset.row]; });
    outSvg.setAttribute("aria-label", "Outputs against their targets: " +
      f.outputs.names.map((name, r) => `${name} ${frame.output_text[r]}, ${f.outputs.target_text[r]}`).join("; "));
  }

  function stop(why) {
    if (raf !== null) cancelAnimationFrame(raf);
    raf = null;
    start = null;
    play.textContent = "Play";
    const fs = frames();
    live.textContent = fs.length ? `${why} at ${fs[k].text}` : "";
    model.set("playing", false);
    model.set("frame", k);
    model.save_changes();
  }

  function tick(now) {
    const fs = frames();
    if (start === null) start = now - (k / Math.max(1, fs.length - 1)) * duration(fs.length);
    const n = Math.min(fs.length - 1, Math.floor(((now - start) / duration(fs.length)) * (fs.length - 1)));
    if (n !== k || now === start) show(n);
    if (n >= fs.length - 1) { stop("Finished"); return; }
    raf = requestAnimationFrame(tick);
  }

  function begin() {
    const fs = frames();
    if (!fs.length) return;
    if (k >= fs.length - 1) show(0);
    play.textContent = "Pause";
    live.textContent = "Playing";
    start = null;
    if (raf === null) raf = requestAnimationFrame(tick);
  }

  play.addEventListener("click", () => {
    if (raf !== null) { stop("Paused"); return; }
    model.set("playing", true); // the change below starts it
    model.save_changes();
  });
  const playing = () => { // from the Play button, or from the kernel (player.playing = True)
    if (model.get("playing") && raf === null) begin();
    else if (!model.get("playing") && raf !== null) stop("Paused");
  };
  reset.addEventListener("click", () => {
    if (raf !== null) { cancelAnimationFrame(raf); raf = null; }
    show(0);
    stop("Reset");
  });

  const reload = () => { // a new film (learning rate or steps changed): start again
    if (raf !== null) { cancelAnimationFrame(raf); raf = null; }
    layout();
    show(model.get("frame"));
    play.textContent = "Play";
    if (model.get("playing")) begin();
  };
  const ready = (async () => {
    const ref = model.get("diagram");
    if (ref) diagram = await host.getModel(ref);
    reload();
  })();
  model.on("change:film", reload);
  model.on("change:playing", playing);
  return () => {
    if (raf !== null) cancelAnimationFrame(raf);
    model.off("change:film", reload);
    model.off("change:playing", playing);
    return ready;
  };
}

export default { render };
