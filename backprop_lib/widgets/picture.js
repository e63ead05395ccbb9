// A PNG from the kernel shown as an <img> whose alt text is the figure's description, so a screen reader
// reads what the picture shows (ipywidgets' Image has no alt, and a tooltip on it fails to render in 8.1).
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "bp-picture";
  el.appendChild(img);
  function draw() {
    const bytes = model.get("value");
    const old = img.src;
    img.src = bytes && bytes.byteLength ? URL.createObjectURL(new Blob([bytes], { type: "image/png" })) : "";
    if (old) URL.revokeObjectURL(old);
    img.alt = model.get("alt");
  }
  model.on("change:value", draw);
  model.on("change:alt", () => { img.alt = model.get("alt"); });
  draw();
  return () => { if (img.src) URL.revokeObjectURL(img.src); };
}

export default { render };
