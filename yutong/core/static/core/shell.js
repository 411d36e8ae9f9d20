// Loaded before the first paint: a sidebar the user collapsed stays collapsed on every page.
try {
  if (window.localStorage.getItem("yutong.sidebar") === "collapsed") {
    document.documentElement.classList.add("sidebar-collapsed");
  }
} catch (e) {
  // Storage refused (private mode): the sidebar opens expanded.
}
