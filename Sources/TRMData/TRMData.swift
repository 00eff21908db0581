/// Datasets: ingest, generate, verify, augment and encode Sudoku, Maze and ARC puzzles.
public enum TRMData {}
