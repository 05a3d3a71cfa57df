// A file picker that sends the chosen file to the kernel in chunks, one at a time, each
// after the kernel acknowledged the one before: a file of any size stays under the
// websocket's message limit. A file above max_bytes is refused here, before sending.
// Every message names its upload, so a late ack of an earlier file moves nothing.
function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "file";
  input.hidden = true;
  const button = document.createElement("button");
  button.className = "jupyter-button widget-button kr-upload-button";
  const note = document.createElement("span");
  note.className = "kr-upload-note";
  el.classList.add("kr-upload");
  el.append(input, button, note);

  const show = () => {
    input.accept = model.get("accept");
    button.textContent = model.get("description");
  };
  show();
  model.on("change:accept", show);
  model.on("change:description", show);
  button.addEventListener("click", () => input.click());

  let file = null;
  let upload = 0;
  const size = () => model.get("chunk_bytes");
  const sendChunk = async (id, index) => {
    const part = file.slice(index * size(), (index + 1) * size());
    const buffer = await part.arrayBuffer();
    if (id === upload) model.send({ type: "chunk", upload: id, index }, undefined, [buffer]);
  };
  model.on("msg:custom", (message) => {
    if (message.upload !== upload || !file) return;
    if (message.type === "ack" && (message.index + 1) * size() < file.size) {
      sendChunk(upload, message.index + 1);
    } else {
      file = null;
    }
  });
  input.addEventListener("change", () => {
    const chosen = input.files[0];
    input.value = "";
    if (!chosen) return;
    upload += 1;
    file = null;
    note.textContent = chosen.name;
    if (chosen.size > model.get("max_bytes")) {
      model.send({ type: "refused", upload, name: chosen.name, size: chosen.size });
      return;
    }
    file = chosen;
    model.send({ type: "start", upload, name: chosen.name, size: chosen.size });
    if (chosen.size > 0) sendChunk(upload, 0);
  });
}
export default { render };
