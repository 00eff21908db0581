// Draws puzzle grids: Sudoku digits with box borders, maze walls/start/goal/path, ARC colours.
// A cell can be marked as given (part of the input), changed (differs from the previous step)
// and shaded by the model's confidence in it.
"use strict";

const Grid = (() => {
  const { el } = TRM;
  const mazeNames = { "#": "wall", " ": "open", S: "start", G: "goal", o: "path" };
  const sudokuBoxes = { 4: [2, 2], 6: [2, 3], 9: [3, 3] };

  /** Pixel size of a cell for a grid of this many columns. */
  function cellSize(columns) {
    return columns <= 9 ? 40 : columns <= 16 ? 26 : 18;
  }

  /**
   * A grid element. options: {kind, text, rows, columns, input: {text, rows, columns} (to mark
   * givens), previous: {text, rows, columns} (to mark changes), confidence: [0…1 per cell], step}.
   */
  function render(options) {
    const { kind, text, rows, columns } = options;
    const cells = Array.from(text);
    const grid = el("div", { className: `grid ${kind}`, role: "grid", "data-rows": rows, "data-columns": columns, "data-step": options.step ?? "" });
    grid.style.setProperty("--columns", columns);
    grid.style.setProperty("--cell", `${Math.round(cellSize(columns) * (options.scale || 1))}px`);
    const sameShape = (other) => other && other.rows === rows && other.columns === columns;
    const input = sameShape(options.input) ? Array.from(options.input.text) : null;
    const previous = options.previous ? (sameShape(options.previous) ? Array.from(options.previous.text) : []) : null;
    const box = kind === "sudoku" ? sudokuBoxes[columns] : null;
    cells.forEach((value, i) => {
      const r = Math.floor(i / columns), c = i % columns;
      const given = input !== null && isGiven(kind, input[i]) && input[i] === value;
      const classes = ["cell", kind === "maze" ? `v-${mazeNames[value] || "unknown"}` : `v-${value === "." ? "blank" : value}`];
      classes.push(given ? "given" : "predicted");
      if (previous !== null && previous[i] !== value) classes.push("changed");
      if (box && (c + 1) % box[1] === 0 && c + 1 < columns) classes.push("box-right");
      if (box && (r + 1) % box[0] === 0 && r + 1 < rows) classes.push("box-bottom");
      const shown = kind === "sudoku" ? (value === "." ? "" : value) : kind === "maze" && (value === "S" || value === "G") ? value : "";
      const cell = el("div", { className: classes.join(" "), role: "gridcell", "data-value": value, title: tooltip(value, options.confidence, i) }, shown);
      if (options.confidence && !given) cell.style.setProperty("--confidence", options.confidence[i].toFixed(3));
      grid.append(cell);
    });
    return grid;
  }

  /** Whether an input cell is fixed by the puzzle (Sudoku givens, maze walls and endpoints, every ARC cell). */
  function isGiven(kind, value) {
    if (kind === "sudoku") return value !== "." && value !== undefined;
    if (kind === "maze") return value === "#" || value === "S" || value === "G";
    return false;
  }

  function tooltip(value, confidence, i) {
    return confidence ? `${value === " " ? "open" : value}: confidence ${(100 * confidence[i]).toFixed(1)} %` : null;
  }

  return { render };
})();
