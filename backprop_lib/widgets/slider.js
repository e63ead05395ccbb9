// A slider that says what it is: a native range input whose label names it (for example "weight w5"),
// whose spoken value (aria-valuetext) is the number as the readout beside it shows it, and which
// sends its value to the kernel when it is released or moved by a key (or, with continuous, while dragged).
// With scale "log" the input moves the power of ten and the value is 10 to that power.
let count = 0;

function shown(model, value) {
  const digits = model.get("digits");
  const text = {
    fixed: () => value.toFixed(digits),
    exponent: () => value.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2"), // 1.0e-04, as Python
    general: () => String(Number(value.toPrecision(digits))),
  }[model.get("format")]();
  return text.replaceAll("-", "\u2212");
}

function render({ model, el }) {
  const id = `bp-slider-${++count}-${Math.random().toString(36).slice(2, 8)}`;
  const log = () => model.get("scale") === "log";
  const toValue = (position) => (log() ? 10 ** Number(position) : Number(position));
  const toPosition = (value) => (log() ? Math.log10(value) : value);
  el.classList.add("bp-slider");
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const output = document.createElement("output");
  output.htmlFor = id;
  output.setAttribute("aria-hidden", "true"); // the slider speaks its own value; this is for the eye
  el.append(label, input, output);

  function speak(value) {
    const text = shown(model, value);
    output.textContent = text;
    input.setAttribute("aria-valuetext", text);
  }
  function sync() {
    label.textContent = model.get("label");
    input.setAttribute("aria-label", model.get("name"));
    input.min = toPosition(model.get("min"));
    input.max = toPosition(model.get("max"));
    input.step = model.get("step");
    input.value = toPosition(model.get("value"));
    speak(model.get("value"));
  }
  function send() {
    model.set("value", toValue(input.value));
    model.save_changes();
  }
  input.addEventListener("input", () => {
    speak(toValue(input.value));
    if (model.get("continuous")) send();
  });
  input.addEventListener("change", send);
  // The keys are the slider's: JupyterLab's notebook shortcuts (which listen on the document) would otherwise
  // take the arrow keys, move to another cell and leave the value unchanged.
  input.addEventListener("keydown", (event) => event.stopPropagation());
  model.on("change", sync);
  sync();
}

export default { render };
