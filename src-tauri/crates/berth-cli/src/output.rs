//! Writing results: JSON on stdout with `--json`, a table otherwise. A closed stdout (`| head`)
//! ends the command quietly, as Unix tools do.

use std::io::Write;

use berth_core::{BerthError, ErrorCode};
use comfy_table::{presets::NOTHING, Table};
use serde::Serialize;

/// The marker of a closed stdout: `main` exits quietly on it.
pub const CLOSED_PIPE: &str = "stdout was closed";

pub fn closed_pipe() -> BerthError {
    BerthError::new(ErrorCode::Cancelled, CLOSED_PIPE)
}

pub fn is_closed_pipe(e: &BerthError) -> bool {
    e.code == ErrorCode::Cancelled && e.message == CLOSED_PIPE
}

/// Print a line on stdout.
pub fn line(text: &str) -> Result<(), BerthError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(closed_pipe()),
        Err(e) => Err(BerthError::internal(format!("Could not write the result: {e}")).caused_by(&e)),
    }
}

/// Print `value` as JSON (pretty).
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), BerthError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| BerthError::internal(e.to_string()))?;
    line(&text)
}

/// `value` as JSON with `--json`, else the table `fill` makes.
pub fn output<T: Serialize + ?Sized>(
    as_json: bool,
    value: &T,
    fill: impl FnOnce(&mut Table),
) -> Result<(), BerthError> {
    if as_json {
        return json(value);
    }
    let mut t = Table::new();
    t.load_preset(NOTHING);
    fill(&mut t);
    line(&t.to_string())
}

pub fn read_text(path: &std::path::Path) -> Result<String, BerthError> {
    std::fs::read_to_string(path)
        .map_err(|e| BerthError::invalid(format!("Cannot read {}: {e}.", path.display())).caused_by(&e))
}

/// Ask on the terminal; false when stdin is not one (scripts confirm with --yes).
pub fn confirm(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal};
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).is_ok() && matches!(answer.trim(), "y" | "Y" | "yes")
}

/// A serde enum value as its wire name (`IMMUTABLE`).
pub fn wire<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
