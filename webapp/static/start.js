/* Start: Telegram's theme on the page, who is looking, their tabs, the first page. */
"use strict";

(function () {
  const Kefu = window.Kefu;

  function theme(app) {
    const root = document.documentElement;
    for (const [key, value] of Object.entries((app && app.themeParams) || {})) {
      root.style.setProperty("--tg-theme-" + key.replaceAll("_", "-"), value);
    }
    if (app && app.colorScheme) root.dataset.scheme = app.colorScheme;
  }

  function tabs() {
    const nav = document.getElementById("tabs");
    nav.replaceChildren(...Kefu.mine().map((page) => Kefu.el("button", {
      role: "tab", "data-page": page.name, onclick: () => Kefu.go(page.name),
    }, page.title[Kefu.lang] || page.title.en)));
  }

  async function start() {
    const app = window.Telegram && window.Telegram.WebApp;
    const root = document.getElementById("view");
    Kefu.lang = ((app && app.initDataUnsafe && app.initDataUnsafe.user
      && app.initDataUnsafe.user.language_code) || navigator.language || "en").startsWith("zh") ? "zh" : "en";
    theme(app);
    if (app) {
      app.ready();
      if (app.expand) app.expand();
      if (app.onEvent) app.onEvent("themeChanged", () => theme(app));
    }
    if (!Kefu.initData()) {
      root.replaceChildren(Kefu.el("p", { class: "notice" }, Kefu.w("open_in_telegram")));
      return;
    }
    try {
      Kefu.me = await Kefu.api("me");
    } catch (error) {
      Kefu.failure(root, error);
      return;
    }
    Kefu.lang = Kefu.me.language === "zh" ? "zh" : "en";
    document.documentElement.lang = Kefu.lang;
    document.getElementById("who").textContent =
      Kefu.me.name + " · " + Kefu.w("roles." + Kefu.me.role);
    tabs();
    window.addEventListener("hashchange", () => Kefu.show());
    await Kefu.show();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
