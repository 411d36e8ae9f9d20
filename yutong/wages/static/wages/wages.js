// Buttons marked data-print print the page (the notice board is printed for the site).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
