// Dispute forms: "add a row" for the worker and claim formsets, the registry picker for the
// employer, and showing only the fields that apply (mediation or arbitration, award items).
// Loaded as a file: the Content-Security-Policy allows no inline script.
(() => {
  "use strict";

  function addRow(prefix) {
    const template = document.getElementById(`${prefix}-template`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const rows = document.getElementById(`${prefix}-rows`);
    if (!template || !total || !rows) return;
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    const index = Number(total.value);
    if (max && index >= Number(max.value)) return;
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    total.value = String(index + 1);
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select");
    if (first) first.focus();
  }

  function pickEmployer(button) {
    const hidden = document.getElementById("id_employer");
    const name = document.getElementById("id_employer_name");
    const uscc = document.getElementById("id_employer_uscc");
    if (hidden) hidden.value = button.dataset.uscc;
    if (name) name.value = button.dataset.name;
    if (uscc) uscc.value = button.dataset.uscc;
    const linked = document.getElementById("employer-linked");
    if (linked) linked.textContent = "已关联企业名录。";
    const results = document.getElementById("employer-results");
    if (results) results.replaceChildren();
  }

  function showTargetSections() {
    const checked = document.querySelector("input[name='target']:checked");
    document.querySelectorAll("[data-target-section]").forEach((section) => {
      section.hidden = Boolean(checked) && section.dataset.targetSection !== checked.value;
    });
  }

  function showAwardItems(select) {
    const form = select.closest("form");
    const items = form && form.querySelector("[data-award-items]");
    if (items) items.hidden = select.value !== "award";
  }

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-formset-add]");
    if (add) {
      event.preventDefault();
      addRow(add.dataset.formsetAdd);
      return;
    }
    const remove = event.target.closest("[data-formset-remove]");
    if (remove) {
      event.preventDefault();
      // A missing row is an unchanged row to the formset: it is skipped, not an error.
      const row = remove.closest("[data-formset-row]");
      if (row) row.remove();
      return;
    }
    const pick = event.target.closest("[data-employer-pick]");
    if (pick) {
      event.preventDefault();
      pickEmployer(pick);
    }
  });

  document.addEventListener("input", (event) => {
    if (event.target.id === "id_employer_name") {
      // Typing again unlinks the registry entry picked before.
      const hidden = document.getElementById("id_employer");
      const linked = document.getElementById("employer-linked");
      if (hidden && hidden.value) {
        hidden.value = "";
        if (linked) linked.textContent = "";
      }
    }
  });

  // Only the chosen body's mediators are offered; with no body chosen, all (labelled by body).
  function offerMediators(select) {
    const body = document.getElementById(select.dataset.mediatorOf);
    const chosen = body ? body.value : "";
    select.querySelectorAll("option[data-body]").forEach((option) => {
      const other = Boolean(chosen) && option.dataset.body !== chosen;
      option.hidden = other;
      option.disabled = other;
      if (other && option.selected) select.value = "";
    });
  }

  function offerMediatorsOf(body) {
    document
      .querySelectorAll(`select[data-mediator-of='${body.id}']`)
      .forEach(offerMediators);
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("input[name='target']")) showTargetSections();
    if (event.target.matches("select") && event.target.id) offerMediatorsOf(event.target);
    if (event.target.matches("select[data-award-toggle]")) showAwardItems(event.target);
  });

  document.addEventListener("DOMContentLoaded", () => {
    showTargetSections();
    document.querySelectorAll("select[data-award-toggle]").forEach(showAwardItems);
    document.querySelectorAll("select[data-mediator-of]").forEach(offerMediators);
  });
})();
