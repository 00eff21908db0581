// The playground: choose a run and checkpoint, pick a test puzzle (or generate one, paste one, or
// name an ARC task), press Solve, and step through the model's answers: a slider and play button
// over K, changed cells highlighted, cells shaded by confidence, and the halting-confidence curve
// with the step where the model would stop.
//
// The URL holds the choice (?run=&checkpoint=&k=&example=|puzzle=|task=), and &solve=1 solves on
// load and shows step K, so a solved puzzle can be linked to.
"use strict";

(() => {
  const { api, el, fill, fmt, showError, queryString } = TRM;
  const $ = (id) => document.getElementById(id);
  const initial = Object.fromEntries(["run", "checkpoint", "k", "example", "puzzle", "task", "solve", "ema"].map((n) => [n, TRM.params(n)[0]]));
  let detail = null; // the chosen run's /api/runs/:run answer
  let puzzles = []; // its test puzzles (or ARC task ids)
  let generated = null; // the last generated puzzle, with its answer
  let result = null; // the last /api/solve answer
  let timer = null;

  const kind = () => detail.config.dataset.kind;
  const source = () => document.querySelector("input[name=source]:checked").value;

  function setSource(value) {
    for (const radio of document.querySelectorAll("input[name=source]")) radio.checked = radio.value === value;
    for (const panel of document.querySelectorAll("[data-source]")) panel.hidden = panel.dataset.source !== value;
    preview();
  }

  async function loadRuns() {
    const { runs } = await api("/api/runs");
    if (!runs.length) throw new Error("This store has no runs yet; train one with trm-exp run experiments/smoke.json");
    fill($("run"), runs.map((r) => el("option", { value: r.id }, `${r.name} (${r.id.slice(0, 6)}, ${r.status})`)));
    const wanted = runs.find((r) => r.id === initial.run || r.name === initial.run || (initial.run && r.id.startsWith(initial.run)))
      || runs.find((r) => r.status === "finished") || runs[0];
    $("run").value = wanted.id;
  }

  async function loadRun() {
    detail = await api(`/api/runs/${encodeURIComponent($("run").value)}`);
    const checkpoints = detail.checkpoints.slice().reverse();
    const best = checkpoints.find((c) => c.is_best);
    fill($("checkpoint"),
      checkpoints.length ? el("option", { value: "latest" }, `latest (step ${checkpoints[0].step})`) : el("option", { value: "" }, "no checkpoints yet"),
      best ? el("option", { value: "best" }, `best (step ${best.step})`) : null,
      checkpoints.map((c) => el("option", { value: String(c.step) }, `step ${c.step}`)));
    if (initial.checkpoint && [...$("checkpoint").options].some((o) => o.value === initial.checkpoint)) $("checkpoint").value = initial.checkpoint;
    $("k").value = initial.k || detail.config.evaluation.max_k;
    $("ema").disabled = !detail.config.training.ema;
    $("ema").checked = !!detail.config.training.ema && initial.ema === "1";
    const arc = kind() === "arc";
    for (const radio of document.querySelectorAll("input[name=source]")) radio.disabled = arc !== (radio.value === "task");
    const page = await api(`/api/runs/${encodeURIComponent(detail.run.id)}/puzzles?limit=200`);
    puzzles = page.puzzles;
    if (arc) {
      fill($("tasks"), puzzles.map((p) => el("option", { value: p.task })));
      $("task").value = initial.task || (puzzles[0] ? puzzles[0].task : "");
      setSource("task");
    } else {
      fill($("example"), puzzles.map((p) => el("option", { value: p.example }, `#${p.example}: ${describe(p)}`)));
      if (page.total > puzzles.length) $("example").append(el("option", { disabled: true }, `… ${page.total - puzzles.length} more (use ?example=N)`));
      if (initial.example !== undefined) {
        const index = Number(initial.example);
        if (!puzzles.some((p) => p.example === index)) $("example").append(el("option", { value: index }, `#${index}`));
        $("example").value = String(index);
      }
      if (initial.puzzle) $("puzzle-text").value = initial.puzzle;
      setSource(initial.puzzle ? "paste" : "example");
    }
  }

  function describe(puzzle) {
    const text = puzzle.puzzle;
    return puzzle.kind === "maze" ? `${puzzle.rows}×${puzzle.columns} maze` : `${Array.from(text).filter((c) => c === ".").length} blanks to fill`;
  }

  function pastedText() {
    return $("puzzle-text").value.replace(/\r?\n/g, "");
  }

  /** The input grid of the chosen puzzle, when it is known before solving. */
  function chosenInput() {
    if (!detail) return null;
    if (source() === "example") {
      const p = puzzles.find((q) => String(q.example) === $("example").value);
      return p ? { text: p.puzzle, rows: p.rows, columns: p.columns, answer: p.answer } : null;
    }
    if (source() === "generate" || source() === "paste") {
      const text = pastedText();
      const side = Math.round(Math.sqrt(text.length));
      if (!text || side * side !== text.length) return null;
      const answer = generated && generated.puzzle === text ? generated.answer : null;
      return { text, rows: side, columns: side, answer };
    }
    return null;
  }

  function preview() {
    const input = chosenInput();
    fill($("input-preview"), input ? Grid.render({ kind: kind(), text: input.text, rows: input.rows, columns: input.columns, input, scale: 0.6 }) : null);
  }

  async function generate() {
    const seed = $("seed").value;
    generated = await api(`/api/runs/${encodeURIComponent(detail.run.id)}/generate${queryString([["seed", seed]])}`);
    $("seed").value = generated.seed;
    const rows = [];
    for (let r = 0; r < generated.rows; r++) rows.push(generated.puzzle.slice(r * generated.columns, (r + 1) * generated.columns));
    $("puzzle-text").value = rows.join("\n");
    preview();
  }

  function request() {
    const body = { run: detail.run.id, checkpoint: $("checkpoint").value || "latest", k: Number($("k").value) };
    if ($("ema").checked) body.ema = true;
    if (source() === "example") body.example = Number($("example").value);
    else if (source() === "task") body.task = $("task").value.trim();
    else body.puzzle = pastedText();
    return body;
  }

  async function solve(play) {
    stop();
    $("busy").hidden = false;
    $("solve").disabled = true;
    try {
      const body = request();
      const input = chosenInput();
      result = await api("/api/solve", { json: body });
      // A generated puzzle's answer is known here, not on the server: check the steps against it.
      if (input && input.answer && source() !== "example") {
        for (const trace of result.puzzles) for (const step of trace.steps) step.correct = step.answer === input.answer;
      }
      const pairs = [["run", detail.run.id], ["checkpoint", body.checkpoint], ["k", body.k], ["example", body.example],
        ["puzzle", body.puzzle], ["task", body.task], ["ema", body.ema ? 1 : null], ["solve", 1]];
      history.replaceState(null, "", `/playground${queryString(pairs)}`);
      fill($("trace-index"), result.puzzles.map((t, i) => el("option", { value: i }, t.source)));
      $("trace-index").hidden = result.puzzles.length < 2;
      $("result").hidden = false;
      showTrace(play);
      showError(null);
    } catch (error) {
      showError(error.message);
    } finally {
      $("busy").hidden = true;
      $("solve").disabled = false;
    }
  }

  const trace = () => result.puzzles[Number($("trace-index").value) || 0];

  function showTrace(play) {
    const steps = trace().steps;
    $("step").max = steps.length;
    showStep(play ? 1 : steps.length);
    if (play) start();
  }

  function showStep(k) {
    const t = trace();
    const steps = t.steps;
    k = Math.max(1, Math.min(steps.length, k));
    $("step").value = k;
    const step = steps[k - 1];
    const input = { text: t.puzzle, rows: t.puzzle_rows, columns: t.puzzle_columns };
    const previous = k === 1 ? input : { text: steps[k - 2].answer, rows: steps[k - 2].rows, columns: steps[k - 2].columns };
    const grid = Grid.render({ kind: t.kind, text: step.answer, rows: step.rows, columns: step.columns, input, previous, confidence: step.confidence, step: k });
    grid.id = "grid";
    $("grid").replaceWith(grid);
    $("step-label").textContent = `step ${k} of ${steps.length}`;
    const mean = step.confidence.reduce((a, b) => a + b, 0) / Math.max(1, step.confidence.length);
    const changed = grid.querySelectorAll(".cell.changed").length;
    fill($("step-info"),
      `halt confidence ${fmt.number(step.halt_probability, 3)} (q_halt ${step.q_halt.toFixed(2)}, q_continue ${step.q_continue.toFixed(2)}) · `,
      `mean cell confidence ${fmt.number(mean, 3)} · ${changed} cell${changed === 1 ? "" : "s"} changed`,
      k === t.halt_step ? el("strong", {}, " · the model stops here") : null,
      step.correct === undefined ? null : el("span", { className: `verdict ${step.correct ? "correct" : "wrong"}` }, step.correct ? " · correct" : " · wrong"));
    haltChart(t, k);
  }

  function haltChart(t, k) {
    const steps = t.steps;
    const markers = [{ x: k, label: `step ${k}`, color: "#555", dashed: true, className: "current-step" }];
    if (t.halt_step) markers.push({ x: t.halt_step, label: "stops here", className: "halt-step" });
    fill($("halt-chart"), Charts.line({
      title: "Halting confidence", xLabel: "ACT step", yLabel: "probability", yRange: [0, 1], integerX: true, width: 520, height: 260,
      series: [
        { label: "sigmoid(q_halt)", points: steps.map((s) => [s.step, s.halt_probability]) },
        { label: "mean cell conf.", points: steps.map((s) => [s.step, s.confidence.reduce((a, b) => a + b, 0) / Math.max(1, s.confidence.length)]) },
      ],
      guides: [{ y: 0.5, label: "q_halt = 0" }], markers,
    }));
    fill($("halt-info"), t.halt_step
      ? `The model would stop after step ${t.halt_step} (the first with q_halt > 0).`
      : `q_halt stayed ≤ 0 for all ${steps.length} steps: the model would run to its step limit.`,
      t.answer ? el("span", { className: "muted" }, " The known answer is used to mark each step correct or wrong.") : null);
  }

  function start() {
    stop();
    $("play").textContent = "❚❚ pause";
    timer = setInterval(() => {
      const k = Number($("step").value);
      if (k >= trace().steps.length) return stop();
      showStep(k + 1);
    }, 700);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    $("play").textContent = "▶ play";
  }

  $("run").addEventListener("change", () => { Object.keys(initial).forEach((key) => delete initial[key]); loadRun().catch((e) => showError(e.message)); });
  for (const radio of document.querySelectorAll("input[name=source]")) radio.addEventListener("change", () => setSource(radio.value));
  $("example").addEventListener("change", preview);
  $("puzzle-text").addEventListener("input", preview);
  $("generate").addEventListener("click", () => generate().catch((e) => showError(e.message)));
  $("solve-form").addEventListener("submit", (event) => { event.preventDefault(); solve(true); });
  $("step").addEventListener("input", () => { stop(); showStep(Number($("step").value)); });
  $("prev").addEventListener("click", () => { stop(); showStep(Number($("step").value) - 1); });
  $("next").addEventListener("click", () => { stop(); showStep(Number($("step").value) + 1); });
  $("play").addEventListener("click", () => {
    if (timer) return stop();
    if (Number($("step").value) >= trace().steps.length) showStep(1);
    start();
  });
  $("trace-index").addEventListener("change", () => showTrace(false));

  loadRuns().then(loadRun).then(() => (initial.solve === "1" ? solve(false) : null)).catch((error) => showError(error.message));
})();
