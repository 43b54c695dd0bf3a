// Behaviour shared by every page. CSP allows no inline scripts, so small behaviours live here.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons that need a confirmation carry data-confirm="question".
  document.body.addEventListener("submit", (event) => {
    const button = event.submitter;
    const question = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
});
