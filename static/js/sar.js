// Behaviour of the SAR pages. CSP allows no inline scripts, so it lives here.
document.addEventListener("DOMContentLoaded", () => {
  // The verification form: the adjusted figures matter only when "adjust" is the decision.
  // Without JavaScript they simply stay visible, and the service ignores them otherwise.
  const form = document.getElementById("verify-form");
  const adjust = document.getElementById("adjust-fieldset");
  if (form && adjust) {
    const show = () => {
      const chosen = form.querySelector("input[name=decision]:checked");
      adjust.hidden = !chosen || chosen.value !== "adjust";
    };
    form.addEventListener("change", show);
    show();
  }
});
