// The recompute progress bar. CSP forbids inline styles, so its width is read from
// data-progress-percent and set here, on the first page and after every htmx poll.
function sizeProgressBars() {
  document.querySelectorAll("[data-progress-percent]").forEach((bar) => {
    bar.style.width = `${Number(bar.dataset.progressPercent) || 0}%`;
  });
}
document.addEventListener("DOMContentLoaded", sizeProgressBars);
document.addEventListener("htmx:afterSettle", sizeProgressBars);
