// Behaviour of the agreement pages. CSP allows no inline scripts, so it lives here.
document.addEventListener("DOMContentLoaded", () => {
  // A button with data-disable-on-submit is pressed once: a double click sends one request.
  // app.js's confirmation runs first (loaded first); a cancelled submit leaves the button alone.
  document.body.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || !("disableOnSubmit" in button.dataset) || event.defaultPrevented) {
      return;
    }
    // Disabled after the browser has collected the form's data, so the request is unchanged.
    window.setTimeout(() => {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    }, 0);
  });
  // Coming back with the browser's Back button shows the page from its cache: enable again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      document.querySelectorAll("[data-disable-on-submit][disabled]").forEach((button) => {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    }
  });
});
