// Rows marked data-href open their record; forms marked data-autosubmit submit on change.
document.addEventListener("click", (event) => {
  const row = event.target.closest("tr[data-href]");
  if (row && !event.target.closest("a, button, input, select")) {
    window.location.assign(row.dataset.href);
  }
});
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select")) {
    form.requestSubmit();
  }
});
// The sidebar's collapse button: icons only, remembered in this browser.
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-sidebar-toggle]")) {
    return;
  }
  const collapsed = document.documentElement.classList.toggle("sidebar-collapsed");
  try {
    window.localStorage.setItem("yutong.sidebar", collapsed ? "collapsed" : "expanded");
  } catch (e) {
    // Not remembered; the toggle still works for this page.
  }
});
