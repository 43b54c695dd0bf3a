// The e-SAR card: its Print button (CSP allows no inline script). The button stays hidden
// without JavaScript; the browser's own print command gives the same print-friendly page.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print-card]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
