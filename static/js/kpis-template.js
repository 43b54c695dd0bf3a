// KPI template pages: the criteria editor and the print button. CSP allows no inline scripts.
//
// The editor shows the threshold rows and the step rows the criteria type uses (levels 1..k are
// steps, k+1..5 thresholds), and previews the "target ± step" shorthand. The preview is only a
// help: the server expands the shorthand itself when the thresholds are left empty.
(() => {
  "use strict";

  const LEVELS = [1, 2, 3, 4, 5];
  const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;
  const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;

  // "1,234.5" → 1234.5, as the server reads it; anything else → null.
  function parseNumber(text) {
    let value = (text || "").trim().replace(/[\s\u00a0]/g, "");
    if (value.includes(",")) {
      if (!GROUPED.test(value)) return null;
      value = value.replace(/,/g, "");
    }
    return PLAIN.test(value) ? Number(value) : null;
  }

  // At most 4 decimals and no trailing zeros, like the page (55, 62.5).
  function formatNumber(value) {
    return String(Number(value.toFixed(4)));
  }

  function stepsInUse(type, stepCount) {
    if (type === "milestone") return 5;
    if (type === "hybrid") return stepCount;
    return 0;
  }

  function hide(element, hidden) {
    if (element) element.hidden = hidden;
  }

  function setUpEditor(form) {
    const typeInput = form.querySelector("[name=criteria_type]");
    const stepCountInput = form.querySelector("[name=step_count]");
    const targetInput = form.querySelector("[name=target]");
    const stepInput = form.querySelector("[name=target_step]");
    const preview = form.querySelector("#shorthand-preview");
    const previewText = preview && preview.querySelector("[data-preview-text]");
    const useButton = preview && preview.querySelector("[data-use-shorthand]");
    const targetLevel = Number(form.dataset.targetLevel) || 3;
    if (!typeInput) return;

    const higherIsBetter = () => {
      const checked = form.querySelector("[name=higher_is_better]:checked");
      return !checked || checked.value === "True";
    };

    function shorthand() {
      const target = parseNumber(targetInput && targetInput.value);
      const step = parseNumber(stepInput && stepInput.value);
      if (target === null || step === null || step <= 0) return null;
      const signed = higherIsBetter() ? step : -step;
      return LEVELS.map((level) => target + (level - targetLevel) * signed);
    }

    function update() {
      const type = typeInput.value;
      const steps = stepsInUse(type, Number(stepCountInput && stepCountInput.value) || 0);
      const composite = type === "composite";
      const hasThresholds = !composite && steps < 5;

      hide(form.querySelector("#step-count-col"), type !== "hybrid");
      hide(form.querySelector("#direction-row"), !hasThresholds);
      hide(form.querySelector("#shorthand-row"), !hasThresholds);
      hide(form.querySelector("#threshold-row"), !hasThresholds);
      hide(form.querySelector("#composite-note"), !composite);
      LEVELS.forEach((level) => {
        hide(form.querySelector(`#threshold-col-${level}`), composite || level <= steps);
        hide(form.querySelector(`#step-row-${level}`), composite || level > steps);
      });

      // The calculator beside the form follows the criteria as typed.
      document.querySelectorAll("[data-what-if-live]").forEach((calculator) => {
        hide(calculator.querySelector("[data-what-if-result-row]"), !hasThresholds);
        LEVELS.forEach((level) => {
          hide(calculator.querySelector(`[data-what-if-step="${level}"]`), composite || level > steps);
        });
      });

      const values = hasThresholds ? shorthand() : null;
      if (preview) {
        preview.hidden = values === null;
        if (values !== null) previewText.textContent = values.map(formatNumber).join(" / ");
      }
    }

    if (useButton) {
      useButton.addEventListener("click", () => {
        const values = shorthand();
        if (values === null) return;
        LEVELS.forEach((level, index) => {
          const input = form.querySelector(`[name=threshold_${level}]`);
          if (!input) return;
          input.value = formatNumber(values[index]);
          // Let the calculator (hx-trigger "change from:[data-criteria]") recompute.
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-template-form]").forEach(setUpEditor);
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
  });
})();
