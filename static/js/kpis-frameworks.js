// The dimensions page: add up the weights as the planner types. The server shows the same total
// on every response, so the page is right without this script too.
document.addEventListener("DOMContentLoaded", () => {
  const inputs = document.querySelectorAll("[data-dimension-weight]");
  const total = document.querySelector("[data-weight-total]");
  const status = document.querySelector("[data-weight-status]");
  if (!inputs.length || !total || !status) {
    return;
  }
  // Sum in ten-thousandths (weights have four decimals) so 33.3333 + ... adds up exactly.
  const SCALE = 10000;
  const show = (name) => {
    const template = document.querySelector(`template[data-status-${name}]`);
    status.replaceChildren(template.content.cloneNode(true));
  };
  const update = () => {
    let sum = 0;
    for (const input of inputs) {
      const text = input.value.trim();
      const value = text === "" ? 0 : Number(text);
      if (!Number.isFinite(value)) {
        total.textContent = "—";
        show("nan");
        return;
      }
      sum += Math.round(value * SCALE);
    }
    total.textContent = String(sum / SCALE);
    show(sum === 100 * SCALE ? "ok" : "off");
  };
  for (const input of inputs) {
    input.addEventListener("input", update);
  }
});
