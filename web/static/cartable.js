// Enhancements only: every page works without this file.
document.documentElement.classList.add("js");

// « MENU » folds the left menu away (phones start folded).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("menu-principal");
  if (!toggle || !menu) return;
  toggle.hidden = false;
  const narrow = window.matchMedia("(max-width: 48rem)");
  const set = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("menu-closed", !open);
  };
  set(!narrow.matches);
  toggle.addEventListener("click", () => set(toggle.getAttribute("aria-expanded") !== "true"));
});
