/* kefu's Mini App: a small page router, the signed API calls, and helpers the pages share.

   Every page is one script in pages/ that calls Kefu.page({...}); start.js asks the
   server who is looking (/app/api/me) and shows the pages of their role. Telegram's
   initData goes with every request (Authorization: tma ...): the server checks its
   signature each time and decides what may be seen. Nothing a person typed is ever
   put into the page as HTML: text goes through Kefu.esc or textContent. */
"use strict";

(function () {
  const WORDS = {
    en: {
      loading: "Loading…",
      open_in_telegram: "Open this page from the bot: send /dashboard in a private chat with it.",
      unauthorized: "This page's sign-in has expired or is not valid: close it and open it again from /dashboard.",
      not_on_team: "You are not on the team.",
      supervisors_only: "This page is for supervisors.",
      not_yours: "That is not yours to see.",
      not_found: "Not found.",
      failed: "Something went wrong; try again.",
      previous: "‹ Previous",
      next: "Next ›",
      page_of: "page {page} of {pages}",
      none: "Nothing here.",
      month: "Month",
      agent: "Agent",
      all: "All",
      roles: { agent: "agent", supervisor: "supervisor", admin: "admin" },
    },
    zh: {
      loading: "加载中…",
      open_in_telegram: "请从机器人打开本页:在与机器人的私聊中发送 /dashboard。",
      unauthorized: "本页的登录已过期或无效:请关闭后从 /dashboard 重新打开。",
      not_on_team: "你不在团队中。",
      supervisors_only: "本页仅供主管使用。",
      not_yours: "这不是你可以查看的内容。",
      not_found: "未找到。",
      failed: "出错了,请重试。",
      previous: "‹ 上一页",
      next: "下一页 ›",
      page_of: "第 {page} / {pages} 页",
      none: "暂无内容。",
      month: "月份",
      agent: "客服",
      all: "全部",
      roles: { agent: "客服", supervisor: "主管", admin: "管理员" },
    },
  };

  /** `text` with its {name} placeholders filled from `values`. */
  function fill(text, values) {
    return Object.entries(values || {}).reduce(
      (out, [name, value]) => out.replaceAll("{" + name + "}", String(value)), text);
  }

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || (body && body.error) || String(status));
      this.status = status;
      this.code = (body && body.error) || "failed";
      this.text = (body && body.message) || "";
    }
  }

  const Kefu = {
    pages: [],
    me: null,
    lang: "en",
    timers: [],
    ApiError,

    /** Register a page: {name, roles, title: {en, zh}, render(root, params)}. */
    page(definition) {
      this.pages.push(definition);
    },

    /** The word `key` in the person's language ({name} placeholders filled). */
    w(key, values) {
      const table = WORDS[this.lang] || WORDS.en;
      const text = key.split(".").reduce((at, part) => (at ? at[part] : undefined), table);
      return fill(text === undefined ? key : text, values);
    },

    /** A page's own words: {en: {...}, zh: {...}} → the table in the person's language. */
    words(tables) {
      const table = tables[this.lang] || tables.en;
      return (key, values) => fill(table[key] === undefined ? key : table[key], values);
    },

    /** Text made safe to put into HTML. */
    esc(value) {
      return String(value === null || value === undefined ? "" : value)
        .replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
        .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
    },

    /** An element: Kefu.el("td", {class: "num"}, "12") — children are text or elements. */
    el(tag, attributes, ...children) {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes || {})) {
        if (value === null || value === undefined || value === false) continue;
        if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
        else node.setAttribute(name, value === true ? "" : value);
      }
      for (const child of children.flat()) {
        if (child === null || child === undefined || child === false) continue;
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
      return node;
    },

    /** A yuan amount as the server sends it ("1234.50") → "¥1,234.50" (exact: no floats). */
    money(text) {
      if (text === null || text === undefined) return "—";
      const value = String(text);
      const negative = value.startsWith("-");
      const [whole, fraction] = value.replace("-", "").split(".");
      const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      return (negative ? "−" : "") + "¥" + grouped + (fraction ? "." + fraction : "");
    },

    /** The signed GET of /app/api/<path> with `query`; throws ApiError when refused. */
    async api(path, query) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query || {})) {
        if (value !== null && value !== undefined && value !== "") search.set(name, value);
      }
      const url = "/app/api/" + path + (search.toString() ? "?" + search : "");
      return this._fetch(url, { headers: this._headers() });
    },

    /** The signed POST of `body` (JSON) to /app/api/<path>. */
    async post(path, body) {
      const headers = Object.assign({ "Content-Type": "application/json" }, this._headers());
      return this._fetch("/app/api/" + path, { method: "POST", headers, body: JSON.stringify(body) });
    },

    _headers() {
      return { Authorization: "tma " + this.initData() };
    },

    async _fetch(url, options) {
      const response = await fetch(url, options);
      let body = null;
      try { body = await response.json(); } catch (_) { body = null; }
      if (!response.ok) throw new ApiError(response.status, body);
      return body;
    },

    initData() {
      const app = window.Telegram && window.Telegram.WebApp;
      return (app && app.initData) || "";
    },

    /** An error as a person reads it, in place of the page. */
    failure(root, error) {
      const code = error instanceof ApiError ? error.code : "failed";
      const known = ["unauthorized", "not_on_team", "supervisors_only", "not_yours", "not_found"];
      const text = error.text || this.w(known.includes(code) ? code : "failed");
      root.replaceChildren(this.el("p", { class: "notice error", role: "alert" }, text));
    },

    /** Pages of `data` ({page, pages, total}): Previous / Next calling `go(page)`. */
    pager(data, go) {
      if (!data || data.pages <= 1) return this.el("div");
      return this.el("div", { class: "pager" },
        this.el("button", { class: "link", disabled: data.page <= 1, onclick: () => go(data.page - 1) },
          this.w("previous")),
        this.el("span", { class: "hint" }, this.w("page_of", data)),
        this.el("button", { class: "link", disabled: data.page >= data.pages, onclick: () => go(data.page + 1) },
          this.w("next")));
    },

    /** A table: columns [{title, value(row) → text|Node, num}] over rows. */
    table(columns, rows) {
      const head = this.el("tr", {}, columns.map((c) => this.el("th", { class: c.num ? "num" : null }, c.title)));
      const body = rows.map((row) => this.el("tr", {},
        columns.map((c) => this.el("td", { class: c.num ? "num" : null }, c.value(row)))));
      return this.el("table", {}, this.el("thead", {}, head), this.el("tbody", {}, body));
    },

    /** Server-rendered SVG (the server escapes every text in it) as a node. */
    svg(markup) {
      const box = this.el("div", { class: "chart" });
      box.innerHTML = markup;
      return box;
    },

    /** Run `work` every `seconds` while the page is shown (the board's refresh). */
    every(seconds, work) {
      this.timers.push(setInterval(work, seconds * 1000));
    },

    /** The page's parameters from the address (#name?key=value). */
    route() {
      const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
      const [name, search] = hash.split("?");
      return { name, params: Object.fromEntries(new URLSearchParams(search || "")) };
    },

    /** Show page `name` with `params` (through the address, so Back works). */
    go(name, params) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params || {})) {
        if (value !== null && value !== undefined && value !== "") search.set(key, value);
      }
      const hash = "#" + name + (search.toString() ? "?" + search : "");
      if (location.hash === hash) this.show();
      else location.hash = hash;
    },

    /** The pages this person may open, in order. */
    mine() {
      return this.pages.filter((p) => this.me && p.roles.includes(this.me.role));
    },

    /** Render the page the address names (or the first one). */
    async show() {
      for (const timer of this.timers) clearInterval(timer);
      this.timers = [];
      const mine = this.mine();
      let { name, params } = this.route();
      let page = mine.find((p) => p.name === name);
      if (!page) { page = mine[0]; params = {}; }
      const root = document.getElementById("view");
      for (const tab of document.querySelectorAll("#tabs button")) {
        tab.setAttribute("aria-selected", String(page && tab.dataset.page === page.name));
      }
      if (!page) return;
      document.body.dataset.page = page.name;
      root.replaceChildren(this.el("p", { class: "notice" }, this.w("loading")));
      try {
        await page.render(root, params);
      } catch (error) {
        this.failure(root, error);
      }
    },
  };

  window.Kefu = Kefu;
})();
