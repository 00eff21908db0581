// Helpers every page uses: calling the JSON API, building DOM nodes, formatting numbers.
"use strict";

const TRM = (() => {
  /** Calls the API; resolves to the parsed JSON, rejects with the server's error message. */
  async function api(path, options = {}) {
    const init = { ...options, headers: { Accept: "application/json" } };
    if (options.json !== undefined) {
      init.method = "POST";
      init.body = JSON.stringify(options.json);
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON: keep the status text */ }
    if (!response.ok) throw new Error(body && body.error ? body.error : `${response.status} ${response.statusText}`);
    return body;
  }

  /** An element with attributes (class, data-*, on* handlers) and children (nodes or text). */
  function el(tag, attrs = {}, ...children) {
    return build(document.createElement(tag), attrs, children);
  }

  /** An SVG element (attributes set as given). */
  function svg(tag, attrs = {}, ...children) {
    return build(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
  }

  function build(node, attrs, children) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key === "className" ? "class" : key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Removes every child of `node` and appends `children`. */
  function fill(node, ...children) {
    node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
    return node;
  }

  /** Shows (or with null hides) the page's error box. */
  function showError(message) {
    const box = document.getElementById("error");
    if (!box) return;
    box.hidden = !message;
    box.textContent = message || "";
  }

  const fmt = {
    number(value, digits = 4) {
      if (value === null || value === undefined || Number.isNaN(value)) return "–";
      return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(digits);
    },
    percent(value) {
      return value === null || value === undefined ? "–" : `${(100 * value).toFixed(1)} %`;
    },
    duration(seconds) {
      if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
      const s = Math.round(seconds);
      if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
      if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
      return `${s}s`;
    },
    date(iso) {
      if (!iso) return "–";
      const d = new Date(iso);
      return `${d.toLocaleDateString()} ${d.toLocaleTimeString()}`;
    },
    bytes(n) {
      if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
      if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
      return n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
    },
  };

  /** Seconds from a run's start to its end (or now while it runs). */
  function wallTime(run) {
    const end = run.ended_at ? new Date(run.ended_at) : new Date();
    return (end - new Date(run.started_at)) / 1000;
  }

  /** A coloured status label. */
  function statusBadge(status) {
    return el("span", { className: `status ${status}`, "data-status": status }, status);
  }

  /** A progress bar with "step / total" beside it (just the step when the length is unknown). */
  function progress(run) {
    const text = run.total_steps ? `${run.step} / ${run.total_steps}` : `step ${run.step}`;
    const bar = el("div", { className: "bar" });
    bar.style.setProperty("--fraction", run.progress ?? 0);
    return el("span", { className: "run-progress", "data-step": run.step },
      el("span", { className: "progress", role: "progressbar", "aria-valuenow": run.step, "aria-valuemax": run.total_steps ?? "" }, bar),
      el("span", { className: "progress-text" }, text));
  }

  /** A report table: `{title, note, headers, rows, numeric}` as the API sends it. */
  function table(spec, attrs = {}) {
    const numeric = new Set(spec.numeric || []);
    const head = el("tr", {}, spec.headers.map((h, i) => el("th", { className: numeric.has(i) ? "num" : null }, h)));
    const rows = spec.rows.map((row) => el("tr", {}, row.map((cell, i) => el("td", { className: numeric.has(i) ? "num" : null }, cell))));
    return el("div", { className: "report-table", ...attrs },
      spec.title ? el("h3", {}, spec.title) : null,
      spec.note ? el("p", { className: "note" }, spec.note) : null,
      el("table", { className: "data" }, el("thead", {}, head), el("tbody", {}, rows)));
  }

  /** The query string's values of `name`. */
  function params(name) {
    return new URLSearchParams(location.search).getAll(name).filter((v) => v !== "");
  }

  /** A query string from [name, value] pairs, each part percent-encoded (spaces as %20, which the server reads). */
  function queryString(pairs) {
    const parts = pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    return parts.length ? `?${parts.join("&")}` : "";
  }

  // Marks the current page in the navigation bar.
  document.addEventListener("DOMContentLoaded", () => {
    const page = document.body.dataset.page === "run" ? "runs" : document.body.dataset.page;
    for (const link of document.querySelectorAll("header nav a")) link.classList.toggle("active", link.dataset.nav === page);
  });

  return { api, el, svg, fill, showError, fmt, wallTime, statusBadge, progress, table, params, queryString };
})();
